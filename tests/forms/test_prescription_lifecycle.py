"""A prescription's life: the staff queue, status changes, reminders, expiry and anonymisation."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forms.engine.models.records import StatusLog, TransitionNotAllowed
from forms.engine.models.submission import Submission
from forms.kinds.prescription.lifecycle import expire_stale, send_reminders
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from portal.roles import MEDIATION
from tests.factories import (
    CampaignPageFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    criteria_for,
)

pytestmark = pytest.mark.django_db
S = Prescription.Status


@pytest.fixture
def staff():
    return UserFactory(username="maud", email="maud@example.org", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(staff=[staff])


@pytest.fixture(autouse=True)
def poitiers(campaign_index):
    """A campaign with the Poitiers programme's ordered criteria (its own list)."""
    campaign = CampaignPageFactory(parent=campaign_index, slug="poitiers")
    criteria_for(campaign)
    return campaign


def criterion(order):
    return PriorityCriterion.objects.get(order=order, campaign__slug="poitiers")


def test_each_campaign_orders_its_own_criteria(poitiers, campaign_index):
    other = CampaignPageFactory(parent=campaign_index, slug="landes")
    criteria_for(other, ["Collégien", "Senior isolé"])
    assert list(
        PriorityCriterion.objects.for_campaign(poitiers)
        .order_by("order")
        .values_list("label", flat=True)
    ) == [
        "Famille avec enfants sans ordinateur",
        "Demandeur d'emploi",
        "Autre famille suivie par un travailleur social",
        "Étudiant",
    ]
    assert list(PriorityCriterion.objects.for_campaign(other).values_list("label", flat=True)) == [
        "Collégien",
        "Senior isolé",
    ]
    assert not PriorityCriterion.objects.for_campaign(None).exists()  # no default list


def test_queue_is_ordered_by_criterion_then_date(client, staff, site):
    now = timezone.now()
    student = PrescriptionFactory(
        site=site, priority_criterion=criterion(4), created_at=now - timedelta(days=9)
    )
    family_new = PrescriptionFactory(site=site, priority_criterion=criterion(1), created_at=now)
    family_old = PrescriptionFactory(
        site=site, priority_criterion=criterion(1), created_at=now - timedelta(days=5)
    )
    job = PrescriptionFactory(
        site=site, priority_criterion=criterion(2), created_at=now - timedelta(days=1)
    )
    expected = [family_old, family_new, job, student]
    assert list(Prescription.objects.queue()) == expected
    client.force_login(staff)
    response = client.get("/admin/forms/prescription/")
    assert list(response.context["object_list"]) == expected


ALLOWED = {
    S.RECEIVED: {S.GRANTED, S.WAITING_LIST, S.ACCEPTED, S.REFUSED, S.WITHDRAWN, S.EXPIRED},
    # The allocation committee's statuses (reached only through its decision).
    S.GRANTED: {S.ACCEPTED, S.REFUSED, S.WITHDRAWN, S.EXPIRED},
    S.WAITING_LIST: {S.GRANTED, S.REFUSED, S.WITHDRAWN, S.EXPIRED},
    S.ACCEPTED: {S.IN_TRAINING, S.EQUIPPED, S.REFUSED, S.WITHDRAWN, S.EXPIRED},
    S.IN_TRAINING: {S.EQUIPPED, S.WITHDRAWN},
    S.EQUIPPED: set(),
    S.REFUSED: set(),
    S.WITHDRAWN: set(),
    S.EXPIRED: set(),
}


@pytest.mark.parametrize("start", list(S))
def test_every_transition_allowed_or_refused_logged_and_mailed(
    start, staff, site, django_capture_on_commit_callbacks
):
    for target in S:
        prescription = PrescriptionFactory(site=site, status=start)
        mail.outbox.clear()
        if target in ALLOWED[start]:
            with django_capture_on_commit_callbacks(execute=True):
                prescription.transition(target, by=staff, note="ok", refusal_reason="unreachable")
            prescription.refresh_from_db()
            assert prescription.status == target
            log = StatusLog.objects.filter(
                object_id=prescription.pk, content_type__model="prescription"
            ).last()
            assert (log.from_status, log.to_status, log.by) == (start, target, staff)
            assert len(mail.outbox) == 1 and mail.outbox[0].to == ["julie@example.org"]
            assert prescription.reference in mail.outbox[0].subject
            assert prescription.beneficiary_last_name not in mail.outbox[0].body
            assert (prescription.closed_at is not None) == (
                target in {S.EQUIPPED, S.REFUSED, S.WITHDRAWN, S.EXPIRED}
            )
        else:
            with pytest.raises(TransitionNotAllowed):
                prescription.transition(target, by=staff)
            assert mail.outbox == []


def test_refusal_asks_for_a_reason_in_the_admin(client, staff, site):
    prescription = PrescriptionFactory(site=site)
    client.force_login(staff)
    url = f"/admin/forms/prescription/transition/{prescription.pk}/refused/"
    page = client.get(url).content.decode()
    assert "Habite hors du territoire du lieu" in page
    response = client.post(url, {"note": ""})
    assert response.status_code == 200  # the reason is required
    prescription.refresh_from_db()
    assert prescription.status == S.RECEIVED
    client.post(url, {"details-refusal_reason": "no_capacity", "note": "Complet jusqu'en janvier"})
    prescription.refresh_from_db()
    assert (prescription.status, prescription.refusal_reason) == (S.REFUSED, "no_capacity")


def test_follow_page_shows_status_without_personal_data(client, site):
    prescription = PrescriptionFactory(site=site)
    prescription.transition(S.ACCEPTED)
    html = client.get(prescription.follow_url()).content.decode()
    assert prescription.reference in html and "Acceptée : formation prévue" in html
    assert prescription.beneficiary_last_name not in html and "0612345678" not in html
    assert client.get("/suivi/prescription/inconnu/").status_code == 404


def test_reminder_then_expiry(staff, site, django_capture_on_commit_callbacks):
    now = timezone.now()
    waiting = PrescriptionFactory(site=site)
    fresh = PrescriptionFactory(site=site)
    done = PrescriptionFactory(site=site, status=S.EQUIPPED)
    Prescription.objects.filter(pk__in=[waiting.pk, done.pk]).update(
        updated_at=now - timedelta(days=50)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now) == 1
    assert (
        mail.outbox[-1].to == ["maud@example.org"] and waiting.reference in mail.outbox[-1].subject
    )
    assert send_reminders(now) == 0  # once only
    assert expire_stale(now) == 0
    assert expire_stale(now + timedelta(days=11)) == 1
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert waiting.status == S.EXPIRED and fresh.status == S.RECEIVED


def test_purge_anonymises_closed_prescriptions_after_retention(site, capsys):
    now = timezone.now()
    old = PrescriptionFactory(
        site=site,
        priority_criterion=criterion(1),
        status=S.REFUSED,
        closed_at=now - timedelta(days=731),
        beneficiary_email="amina@example.com",
        extra_answers={"x": {"label": "X", "value": "Amina"}},
    )
    expired = PrescriptionFactory(site=site, status=S.EXPIRED, closed_at=now - timedelta(days=800))
    recent = PrescriptionFactory(site=site, status=S.EQUIPPED, closed_at=now - timedelta(days=10))
    still_open = PrescriptionFactory(site=site, status=S.ACCEPTED)
    Submission.objects.create(
        kind="prescription",
        walk_token="t1",
        reference=old.reference,
        answers=[{"name": "beneficiary_last_name", "display": "Diallo"}],
        record_id=old.pk,
    )
    StatusLog.objects.create(
        record=old, from_status="received", to_status="refused", note="Mme Diallo injoignable"
    )

    with mock.patch("forms.kinds.prescription.lifecycle.timezone.now", return_value=now):
        call_command("purge_personal_data")
        call_command("purge_personal_data")  # idempotent
    output = capsys.readouterr().out
    assert "2 prescription(s) anonymised." in output and "0 prescription(s) anonymised." in output

    old.refresh_from_db()
    assert (
        old.beneficiary_first_name,
        old.beneficiary_last_name,
        old.beneficiary_phone,
        old.beneficiary_email,
        old.prescriber_name,
        old.prescriber_email,
        old.extra_answers,
    ) == ("", "", "", "", "", "", {})
    assert (old.postcode, old.site, old.status, old.prescriber_kind, old.priority_criterion) == (
        "40100",
        site,
        S.REFUSED,
        "CCAS",
        criterion(1),
    )
    assert old.anonymised_at is not None
    assert Submission.objects.get(walk_token="t1").answers == []
    assert not StatusLog.objects.filter(note__contains="Diallo").exists()
    expired.refresh_from_db()
    assert expired.anonymised_at is not None
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.beneficiary_first_name == "Amina" and kept.anonymised_at is None


def test_wizard_sessions_expire_after_inactivity(client, settings, form_page):
    settings.WIZARD_SESSION_AGE = 7200
    response = client.get(form_page.url, follow=True)
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 7200
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
