"""Demo form pages, from fixtures/demo/<kind>_form.json.

Every demo campaign has its own pledge, prescription and handover forms (children of
its campaign page, the same steps for all, slugs repeated under each campaign);
"{campaign}" in their texts becomes the campaign's title. The free forms name
their one campaign in their fixture (key "campaign")."""

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
    "record_target",
    "record_mapping",
)
# The forms each campaign has, by kind.
CAMPAIGN_FORMS = ("pledge_form.json", "prescription_form.json", "handover_form.json")


def load_campaign_forms(loader):
    """Each demo campaign's own forms, created once: {campaign slug: {kind: page}}."""
    fixtures = [read_fixture(name) for name in CAMPAIGN_FORMS]
    slugs = [item["slug"] for item in read_fixture("campaigns.json")["campaigns"]]
    forms = {}
    for campaign in CampaignPage.objects.filter(slug__in=slugs):
        existing = {page.slug: page for page in FormPage.objects.child_of(campaign)}
        forms[campaign.slug] = {
            data["kind"]: existing.get(data["slug"]) or create_form_page(loader, campaign, data)
            for data in fixtures
        }
    return forms


def load_form_page(loader, fixture):
    """The published form page described by ``fixture`` under the campaign it names
    (created once), or None when that campaign is missing."""
    data = read_fixture(fixture)
    campaign = CampaignPage.objects.filter(slug=data["campaign"]).first()
    if campaign is None:
        return None, False
    existing = FormPage.objects.child_of(campaign).filter(slug=data["slug"]).first()
    if existing:
        return existing, False
    return create_form_page(loader, campaign, data), True


def create_form_page(loader, campaign, data):
    page = FormPage(
        **{name: data.get(name, "").replace("{campaign}", campaign.title) for name in PAGE_FIELDS},
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
    return page
