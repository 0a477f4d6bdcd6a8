"""Demo donor pledge form and a dozen pledges in various statuses."""

from django.contrib.auth import get_user_model
from wagtail.models import Page

from content.models import CampaignPage
from forms.definition import assign_names
from forms.models import DonorPledge, FormPage, ReferenceCounter
from portal.demo.fixtures import read_fixture


def _steps(data):
    return [
        ("step", {**step, "fields": [(block_type, value) for block_type, value in step["fields"]]})
        for step in data["steps"]
    ]


def load_pledge_form(loader):
    data = read_fixture("pledge_form.json")
    campaign = CampaignPage.objects.filter(slug=data["campaign"]).first()
    if campaign is None:
        return None
    existing = FormPage.objects.child_of(campaign).filter(slug=data["slug"]).first()
    if existing:
        return existing
    page = FormPage(
        title=data["title"],
        slug=data["slug"],
        kind=data["kind"],
        intro=data["intro"],
        thank_you_text=data["thank_you_text"],
        acknowledgement_subject=data["acknowledgement_subject"],
        acknowledgement_text=data["acknowledgement_text"],
        notify_emails=data["notify_emails"],
        steps=_steps(data),
    )
    assign_names(page.steps, {})
    campaign.add_child(instance=page)
    page.save_revision().publish()
    loader.created["pages"] += 1
    _add_call_to_action(campaign, page)
    return page


def _add_call_to_action(campaign, form_page):
    """Point the campaign's call-to-action at the new form."""
    campaign = campaign.specific
    for block in campaign.body:
        if block.block_type == "call_to_action":
            block.value["buttons"][0]["page"] = Page.objects.get(pk=form_page.pk)
            block.value["buttons"][0]["label"] = "Faire une promesse de don"
            campaign.save_revision().publish()
            return


def load_pledges(loader, form_page):
    if form_page is None or DonorPledge.objects.exists():
        return
    data = read_fixture("pledges.json")
    coordinator = get_user_model().objects.filter(username="coordination").first()
    for item in data:
        statuses = item.pop("statuses")
        extra = item.pop("extra", {})
        pledge = DonorPledge(
            **item,
            reference=ReferenceCounter.next_reference("DON"),
            campaign=form_page.campaign,
            form_page=form_page,
            erasure_by="programme",
            terms_accepted=True,
            terms_text="J'accepte les conditions du don.",
            extra_answers={
                name: {"label": label, "value": value, "display": value}
                for name, (label, value) in extra.items()
            },
        )
        pledge.save()
        pledge.log_creation()
        for status in statuses:
            pledge.transition(status, by=coordinator, note="Données de démonstration")
