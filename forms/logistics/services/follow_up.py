"""Donors' private follow-up links: created, emailed, revoked by coordinators."""

from forms.engine.notifications import send_donor_follow_up_link
from forms.logistics.models.donor_link import DonorFollowUpLink


def send_link(pledge, by=None):
    link = DonorFollowUpLink.objects.create(
        pledge=pledge, email=pledge.contact_email, created_by=by
    )
    send_donor_follow_up_link(pledge, link)
    return link
