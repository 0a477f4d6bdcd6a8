"""Demo donor pledges in various statuses, each for its own campaign (key "campaign"
in fixtures/demo/pledges.json; FACE's when absent) and through that campaign's own
pledge form. Idempotent: a campaign that has pledges gets no more."""

from content.models import CampaignPage
from forms.engine.models.records import ReferenceCounter
from forms.kinds.pledge.models import DonorPledge
from portal.demo.campaigns import own_coordinator
from portal.demo.fixtures import read_fixture

DEFAULT_CAMPAIGN = "mon-ordi-est-une-chance"


def load_pledges(loader, forms):
    campaigns = {page.slug: page for page in CampaignPage.objects.all()}
    done = set(
        DonorPledge.objects.filter(campaign__isnull=False).values_list("campaign__slug", flat=True)
    )
    for item in read_fixture("pledges.json"):
        slug = item.pop("campaign", DEFAULT_CAMPAIGN)
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
            form_page=forms.get(slug, {}).get("pledge"),
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
