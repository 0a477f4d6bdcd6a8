"""Demo form pages, from fixtures/demo/<kind>_form.json."""

from content.models import CampaignPage
from forms.engine.definition import assign_names
from forms.engine.models.form_page import FormPage
from portal.demo.fixtures import read_fixture

PAGE_FIELDS = (
    "title",
    "slug",
    "kind",
    "intro",
    "thank_you_text",
    "acknowledgement_subject",
    "acknowledgement_text",
    "notify_emails",
)


def load_form_page(loader, fixture):
    """The published form page described by ``fixture`` (created once), or None."""
    data = read_fixture(fixture)
    campaign = CampaignPage.objects.filter(slug=data["campaign"]).first()
    if campaign is None:
        return None, False
    existing = FormPage.objects.child_of(campaign).filter(slug=data["slug"]).first()
    if existing:
        return existing, False
    page = FormPage(
        **{name: data.get(name, "") for name in PAGE_FIELDS},
        steps=[
            (
                "step",
                {**step, "fields": [(block_type, value) for block_type, value in step["fields"]]},
            )
            for step in data["steps"]
        ],
    )
    assign_names(page.steps, {})
    campaign.add_child(instance=page)
    page.save_revision().publish()
    loader.created["pages"] += 1
    return page, True
