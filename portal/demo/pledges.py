"""Demo donor pledge form (FACE) and pledges in various statuses, each for its own
campaign (key "campaign" in fixtures/demo/pledges.json; the form's campaign when
absent). Idempotent: a campaign that has pledges gets no more."""

from wagtail.models import Page

from content.models import CampaignPage
from forms.engine.models.records import ReferenceCounter
from forms.kinds.pledge.models import DonorPledge
from portal.demo.campaigns import own_coordinator
from portal.demo.fixtures import read_fixture
from portal.demo.form_pages import load_form_page


def load_pledge_form(loader):
    page, created = load_form_page(loader, "pledge_form.json")
    if created:
        _add_call_to_action(page.campaign, page)
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
    if form_page is None:
        return
    form_campaign = form_page.campaign
    campaigns = {page.slug: page for page in CampaignPage.objects.all()}
    done = set(
        DonorPledge.objects.filter(campaign__isnull=False).values_list("campaign__slug", flat=True)
    )
    for item in read_fixture("pledges.json"):
        slug = item.pop("campaign", form_campaign.slug)
        if slug in done or slug not in campaigns:
            continue
        campaign = campaigns[slug]
        coordinator = own_coordinator(campaign)
        statuses = item.pop("statuses")
        extra = item.pop("extra", {})
        pledge = DonorPledge(
            **item,
            reference=ReferenceCounter.next_reference("DON"),
            campaign=campaign,
            form_page=form_page if campaign.pk == form_campaign.pk else None,
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
