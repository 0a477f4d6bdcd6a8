"""Wagtail's site history report shows site staff nothing of other sites' records."""

import pytest
from wagtail.log_actions import log

from portal.roles import MEDIATION
from tests.factories import (
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db
URL = "/admin/reports/site-history/"


def test_site_staff_do_not_read_other_sites_records_in_the_site_history(client, coordination_user):
    staff = UserFactory(username="maud", groups=[MEDIATION])
    campaign = coordinated_campaign(coordination_user)
    own = PrescriptionFactory(
        site=MediationSiteFactory(staff=[staff]), reference="PRE-2026-00011", campaign=campaign
    )
    other = PrescriptionFactory(
        site=MediationSiteFactory(), reference="PRE-2026-00022", campaign=campaign
    )
    # A record of a campaign the coordinator does not coordinate.
    foreign = PrescriptionFactory(
        site=MediationSiteFactory(), reference="PRE-2026-00033", campaign=coordinated_campaign()
    )
    for record in (own, other, foreign):
        log(instance=record, action="wagtail.edit", user=coordination_user)

    client.force_login(coordination_user)
    html = client.get(URL).content.decode()
    assert own.reference in html and other.reference in html
    assert foreign.reference not in html

    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert own.reference in response.content.decode()
    assert other.reference not in response.content.decode()
    results = client.get(f"{URL}results/").content.decode()
    assert other.reference not in results
