"""The prescriber's loop: what their private follow page shows, and the reminder
site staff send to a person who does not show up.

The follow page shows the reference, the first name's initial and the stages,
nothing else about the person (docs/PROGRAMME.md, privacy).
"""

from django.utils.translation import gettext_lazy as _

from forms.engine.notifications import remind_person_who_did_not_come
from forms.enums import PrescriptionStatus as Status

STAGES = [
    (Status.RECEIVED, _("Received by the site")),
    (Status.ACCEPTED, _("Accepted: training planned")),
    (Status.IN_TRAINING, _("In training")),
    (Status.EQUIPPED, _("Computer handed over")),
]
# The allocation committee's stage, after "received", in campaigns that have one.
COMMITTEE_STAGES = {
    Status.GRANTED: _("Granted by the allocation committee"),
    Status.WAITING_LIST: _("On the allocation committee's waiting list"),
}
COMMITTEE_STAGE_TO_COME = _("Decision of the allocation committee")
CLOSED_WITHOUT_COMPUTER = {
    Status.REFUSED: _("Closed: the site could not take the person in"),
    Status.WITHDRAWN: _("Closed: withdrawn"),
    Status.EXPIRED: _("Closed: no action within the time allowed"),
}
REFUSED_BY_COMMITTEE = _("Closed: not granted by the allocation committee")
# Statuses in which the site waits for the person to come.
EXPECTING_THE_PERSON = (Status.ACCEPTED, Status.IN_TRAINING)


def stages_of(prescription):
    """[(status, label)] of the stages this prescription goes through."""
    stages = list(STAGES)
    if prescription.needs_committee or prescription.committee_decision:
        if prescription.status == Status.WAITING_LIST:
            committee = (Status.WAITING_LIST, COMMITTEE_STAGES[Status.WAITING_LIST])
        else:
            committee = (Status.GRANTED, COMMITTEE_STAGES[Status.GRANTED])
        stages.insert(1, committee)
    return stages


def follow_stages(prescription):
    """[{label, at, state}] with state "done", "current" or "upcoming", and the closing
    line ({label, at, reason}) when the prescription closed without a computer."""
    reached = {Status.RECEIVED: prescription.created_at}
    for change in prescription.status_changes.all():
        if change.to_status != change.from_status:
            reached.setdefault(change.to_status, change.at)
    all_stages = stages_of(prescription)
    order = [status for status, _label in all_stages]
    current = prescription.status
    current_index = order.index(current) if current in order else None
    stages = []
    for index, (status, label) in enumerate(all_stages):
        if current_index is not None:
            state = (
                "done"
                if index < current_index or status == Status.EQUIPPED == current
                else "current"
                if index == current_index
                else "upcoming"
            )
        else:
            state = "done" if status in reached else "upcoming"
        at = reached.get(status)
        if status == Status.GRANTED:
            if state == "upcoming" and prescription.committee_accepted:
                state = "done"  # decided before the committee had its own status
            if state == "upcoming":
                label = COMMITTEE_STAGE_TO_COME
            elif at is None:
                at = prescription.committee_meeting_date
        stages.append({"status": status, "label": label, "at": at, "state": state})
    closed = None
    if current in CLOSED_WITHOUT_COMPUTER:
        by_committee = prescription.decided_by_committee(current)
        closed = {
            "status": current,
            "label": REFUSED_BY_COMMITTEE if by_committee else CLOSED_WITHOUT_COMPUTER[current],
            "at": prescription.closed_at or reached.get(current),
            "reason": prescription.get_refusal_reason_display()
            if prescription.refusal_reason
            else "",
        }
        stages = [stage for stage in stages if stage["state"] == "done"]
    return stages, closed


def can_remind_person(prescription):
    return prescription.status in EXPECTING_THE_PERSON and not prescription.anonymised_at


def remind_person(prescription, by=None):
    """Email the person (or, without their address, the prescriber to pass it on) that
    the site expects them. Returns the queued email."""
    email = remind_person_who_did_not_come(prescription)
    if email is not None:
        prescription.log_change(by=by, note=str(_("Reminder sent to the person")))
    return email
