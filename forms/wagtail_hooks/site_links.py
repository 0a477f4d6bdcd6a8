"""The site detail page's link to the prescription form, with the site preselected."""

from django.utils.http import urlencode
from wagtail import hooks

from content.models.mediation_site import PRESCRIPTION_URL_HOOK
from forms.engine.models.form_page import FormPage
from forms.engine.wizard import PRESELECTED_SITE_PARAM


@hooks.register(PRESCRIPTION_URL_HOOK)
def prescription_form_url(site):
    page = FormPage.objects.live().public().filter(kind="prescription").order_by("path").first()
    if page is None:
        return None
    return f"{page.url}?{urlencode({PRESELECTED_SITE_PARAM: site.identifier})}"
