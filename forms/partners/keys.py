"""Creating a partner key: one path for the admin and the command line."""

from django.db import transaction

from forms.partners.models import PartnerKey


def create_key(name, campaigns, contact_email="", callback_url="", by=None):
    """(key, token): the saved key and its token, readable this once only."""
    key = PartnerKey(
        name=name, contact_email=contact_email, callback_url=callback_url, created_by=by
    )
    token = key.new_token()
    with transaction.atomic():
        key.save()
        key.campaigns.set(campaigns)
    return key, token
