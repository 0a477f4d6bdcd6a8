"""The demo tells one consistent story: every record's dates follow one another
(a committee meets after the prescription it decides, a handover follows its
prescription and its committee, nothing happens after today), every free-form
answer carries what its form requires (the ceremony form's email address among
them) and the programme-specific switches are on where the programme runs so."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from content.models import CampaignPage
from forms.enums import BorrowerKind
from forms.kinds.generic.models import FormAnswer
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.loan import Loan, income_ceiling

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def day_of(moment):
    return timezone.localdate(moment)


def test_committee_meetings_follow_their_prescriptions(demo):
    today = timezone.localdate()
    decided = Prescription.objects.exclude(committee_decision="").select_related("campaign")
    assert decided.count() >= 3
    for prescription in decided:
        meeting = prescription.committee_meeting_date
        assert meeting is not None, prescription.reference
        assert day_of(prescription.created_at) <= meeting <= today, (
            prescription.reference,
            prescription.created_at,
            meeting,
        )
        assert prescription.campaign.requires_committee, prescription.reference


def test_handovers_follow_their_prescription_and_committee(demo):
    today = timezone.localdate()
    sheets = HandoverSheet.objects.select_related("prescription")
    assert sheets.filter(prescription__isnull=False).exists()
    for sheet in sheets:
        assert sheet.handover_date <= today, sheet.reference
        prescription = sheet.prescription
        if prescription is None:
            continue
        assert day_of(prescription.created_at) <= sheet.handover_date, sheet.reference
        if prescription.committee_meeting_date:
            assert prescription.committee_meeting_date <= sheet.handover_date, sheet.reference


def test_records_are_not_dated_in_the_future(demo):
    now = timezone.now()
    for model in (Prescription, HandoverSheet, FormAnswer):
        assert not model.objects.filter(created_at__gt=now).exists(), model


def test_free_form_answers_carry_what_their_form_requires(demo):
    answers = FormAnswer.objects.select_related("form_page")
    assert answers.count() >= 5
    checked_emails = 0
    for answer in answers:
        definition = answer.form_page.specific.definition
        values = {name: item["value"] for name, item in answer.extra_answers.items()}
        for step in definition.steps:
            if step.condition and not step.condition.is_met(values):
                continue
            for item in step.input_fields():
                if item.condition and not item.condition.is_met(values):
                    continue
                if item.required:
                    assert values.get(item.name) not in (None, "", []), (
                        answer.reference,
                        item.name,
                    )
                if item.type == "email" and values.get(item.name):
                    # the acknowledgement goes to the first email address answered
                    assert answer.email == values[item.name], answer.reference
                    checked_emails += 1
    assert checked_emails > 0


def test_the_income_criterion_is_on_where_household_loans_need_it(demo):
    household = Loan.objects.filter(borrower_kind=BorrowerKind.HOUSEHOLD)
    assert household.exists()
    lending = set(household.values_list("campaign__slug", flat=True))
    switched_on = set(
        CampaignPage.objects.filter(uses_income_criteria=True).values_list("slug", flat=True)
    )
    assert switched_on == lending == {"ordi-2-0-lorient"}
    for loan in household:
        assert loan.family_quotient is not None and loan.family_quotient <= income_ceiling()
        assert loan.due_date >= loan.start_date
        assert loan.start_date >= day_of(loan.prescription.created_at), loan.reference


def test_the_family_quotient_is_asked_only_where_the_income_criterion_is_on(demo, client):
    """The demo's one prescription form asks for the family quotient in Lorient's
    campaign only, publicly and in the admin edit form; Lorient's prescriptions give
    it and their loans take it."""
    from forms.engine.models.form_page import FormPage  # noqa: PLC0415 — test helper

    lorient = CampaignPage.objects.get(slug="ordi-2-0-lorient")
    poitiers = CampaignPage.objects.get(slug="ordinateurs-solidaires-poitiers")
    for campaign, asked in ((lorient, True), (poitiers, False)):
        pages = FormPage.objects.child_of(campaign).filter(kind="prescription")
        assert pages.exists()
        for page in pages:
            assert (page.specific.definition.field("family_quotient") is not None) is asked
        prescription = Prescription.objects.filter(campaign=campaign).first()
        username = f"coord-{campaign.slug.rsplit('-', 1)[-1]}"
        assert client.login(username=username, password=username)
        html = client.get(f"/admin/forms/prescription/edit/{prescription.pk}/").content.decode()
        assert ('name="family_quotient"' in html) is asked
    assert (
        not Prescription.objects.exclude(campaign=lorient)
        .filter(family_quotient__isnull=False)
        .exists()
    )
    for loan in Loan.objects.filter(borrower_kind=BorrowerKind.HOUSEHOLD):
        assert loan.family_quotient == loan.prescription.family_quotient is not None
