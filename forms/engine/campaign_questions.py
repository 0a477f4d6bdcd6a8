"""Programme-specific questions: asked only in the campaigns that switch them on
(the campaign's "Programme" tab), in the public forms and the admin edit forms:
APTIC cheques, the handover ceremony, the income criterion (the family quotient of
prescriptions and household loans, which ``Loan.clean`` requires only where the
campaign asks it)."""

from content.models import CampaignPage

# The campaign's switch, and the record fields (core field names) it governs.
CAMPAIGN_QUESTIONS = {
    "uses_aptic_cheques": ("aptic_cheques", "aptic_cheques_value"),
    "uses_ceremony": ("ceremony_attended",),
    "uses_income_criteria": ("family_quotient",),
}


def omitted_fields(campaign):
    """Names of the fields ``campaign`` does not ask (frozenset); none without campaign."""
    if campaign is None:
        return frozenset()
    return frozenset(
        name
        for switch, names in CAMPAIGN_QUESTIONS.items()
        if not getattr(campaign, switch)
        for name in names
    )


def omitted_fields_for_id(campaign_id):
    """The same from a campaign id (one query), for a record's admin form."""
    if campaign_id is None:
        return frozenset()
    switches = tuple(CAMPAIGN_QUESTIONS)
    values = CampaignPage.objects.filter(pk=campaign_id).values(*switches).first()
    if values is None:
        return frozenset()
    return frozenset(
        name for switch in switches if not values[switch] for name in CAMPAIGN_QUESTIONS[switch]
    )


def omitted_by_all(campaign_ids):
    """The fields none of ``campaign_ids`` asks (one query): what a new record's form
    leaves out when every campaign it may be filed under does without it."""
    switches = tuple(CAMPAIGN_QUESTIONS)
    rows = list(CampaignPage.objects.filter(pk__in=campaign_ids).values(*switches))
    if not rows:
        return frozenset()
    return frozenset(
        name
        for switch in switches
        if not any(row[switch] for row in rows)
        for name in CAMPAIGN_QUESTIONS[switch]
    )


def asks(campaign, field_name):
    """Whether ``campaign`` asks the question ``field_name`` (every campaign asks the
    questions no switch governs; no campaign: asked)."""
    return field_name not in omitted_fields(campaign)
