"""Donors' private follow-up links: created, emailed, revoked by coordinators."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from forms.models import DonorFollowUpLink


def send_link(pledge, by=None):
    link = DonorFollowUpLink.objects.create(
        pledge=pledge, email=pledge.contact_email, created_by=by
    )
    EmailMessage(
        subject=_("Follow your donation – %(reference)s") % {"reference": pledge.reference},
        body=render_to_string(
            "emails/donor_follow_up.txt",
            {"pledge": pledge, "url": link.full_url(), "site_name": settings.WAGTAIL_SITE_NAME},
        ),
        to=[pledge.contact_email],
    ).send()
    return link
