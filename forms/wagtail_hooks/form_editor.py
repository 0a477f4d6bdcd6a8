"""The form page editor's own script (forms/static/forms/js/form_editor.js)."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("insert_editor_js")
def form_editor_js():
    return format_html(
        '<script src="{}" data-choice-label="{}"></script>',
        static("forms/js/form_editor.js"),
        _("Choice"),
    )
