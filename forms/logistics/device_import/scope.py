"""What a user who is not a superuser may touch in an import (forms.access)."""

from django.utils.translation import gettext as _

from content.models import MediationSite
from forms import access


def foreign_device():
    return _("This device belongs to a campaign other than yours.")


class ImportScope:
    """What a user who is not a superuser may touch in an import (forms.access),
    read once per import: their campaign ids and the ids of the sites they may
    choose. Records are then checked as loaded, without a query."""

    def __init__(self, user):
        self.user = user
        self.campaign_ids = access.campaign_ids_of(user)
        self.site_ids = frozenset(
            access.scoped_sites(user, MediationSite.objects.all()).values_list("pk", flat=True)
        )

    @classmethod
    def of(cls, user):
        """The scope of ``user``, or None for the programme (no user) and superusers."""
        if user is None or access.is_programme_wide(user):
            return None
        return cls(user)

    def sees(self, record):
        return access.can_see(self.user, record)

    def has_campaign(self, campaign):
        return campaign.pk in self.campaign_ids

    def has_site(self, site):
        return site.pk in self.site_ids

    @property
    def only_campaign_id(self):
        """The user's campaign if they coordinate exactly one, else None."""
        if len(self.campaign_ids) == 1:
            return next(iter(self.campaign_ids))
        return None
