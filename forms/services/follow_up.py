"""Donors' private follow-up links: created, emailed, revoked by coordinators."""

from forms.models import DonorFollowUpLink
from forms.notifications import send_donor_follow_up_link


def send_link(pledge, by=None):
    link = DonorFollowUpLink.objects.create(
        pledge=pledge, email=pledge.contact_email, created_by=by
    )
    send_donor_follow_up_link(pledge, link)
    return link
