"""The form page editor's own script (forms/static/forms/js/form_editor.js)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def form_editor_js():
    return format_html('<script src="{}"></script>', static("forms/js/form_editor.js"))
