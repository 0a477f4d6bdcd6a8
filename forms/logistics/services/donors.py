"""Donor organisations: the one definition the campaign page's live figures
(``figures.campaign_metrics``) and the admin indicators (``report.programme_report``)
both count, so that the two screens never show two numbers for one thing.

A donor organisation is a distinct organisation that gives devices to the campaign:

- **which pledges**: every pledge but those that will not come, declined by the
  programme or withdrawn by the donor (``DROPPED_PLEDGES``). A new pledge is an
  organisation's commitment to give from the moment it is sent; waiting for
  confirmation would make the public figure lag the coordinators' follow-up, and
  the two screens used to disagree exactly there (one counted new pledges, the
  other only confirmed ones);
- **which organisation**: by its SIRET when the pledge gives one (the same
  company under two spellings is one donor), else by its name, case and outer
  spaces aside (``Lower(Trim(...))``: PostgreSQL lowers every letter, SQLite
  ASCII ones only); a pledge with neither is not counted (one cannot tell whose
  it is);
- **public bodies' batches** (``BatchKind.PUBLIC_BODY``: a town hall or a
  department giving its old computers, recorded as a batch rather than a pledge)
  count too, by the supplier's name, unless a counted pledge already names that
  organisation (docs/PROGRAMME.md, FACE indicators).

One query: the distinct keys of both sources, counted in the database
(``donor_organisations`` gives the two parts, for ``figures.key_figures`` to count
in its own query).
"""

from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim

from forms.enums import BatchKind, PledgeStatus
from forms.kinds.pledge.models import DonorPledge
from forms.logistics.models.device import DeviceBatch

# Pledges that will not come: their organisation does not count as a donor.
DROPPED_PLEDGES = (PledgeStatus.DECLINED, PledgeStatus.WITHDRAWN)


def _of_campaign(queryset, campaign):
    return queryset if campaign is None else queryset.filter(campaign=campaign)


def donor_pledges(campaign=None):
    """The pledges whose organisations count as donors (``campaign`` None: every campaign)."""
    return _of_campaign(DonorPledge.objects.exclude(status__in=DROPPED_PLEDGES), campaign)


def donor_organisations(campaign=None):
    """The keys of ``campaign``'s donor organisations, as two querysets with a
    ``key`` each, whose distinct keys add up to the count: the pledges', and the
    public bodies' batches that no counted pledge names (neither by its name nor by
    its key)."""
    pledges = donor_pledges(campaign).annotate(name_key=Lower(Trim("organisation_name")))
    pledge_keys = pledges.annotate(
        key=Coalesce(NullIf(Trim("siret"), Value("")), F("name_key"))
    ).exclude(key="")
    batch_keys = (
        _of_campaign(DeviceBatch.objects.filter(kind=BatchKind.PUBLIC_BODY), campaign)
        .annotate(key=Lower(Trim("supplier_name")))
        .exclude(key="")
        .exclude(key__in=pledges.values("name_key"))
        .exclude(key__in=pledge_keys.values("key"))
    )
    return pledge_keys, batch_keys


def donor_organisation_count(campaign=None):
    """How many distinct donor organisations ``campaign`` has (None: the whole
    programme), in one query."""
    pledge_keys, batch_keys = donor_organisations(campaign)
    return pledge_keys.values("key").order_by().union(batch_keys.values("key").order_by()).count()
