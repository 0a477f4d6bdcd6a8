"""The README's figures are the demo's: load the demo and compare."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from content.models import CampaignPage, MediationSite
from forms.logistics.models.identity import ProgrammeIdentity

pytestmark = pytest.mark.django_db
README = Path(settings.BASE_DIR, "README.md").read_text(encoding="utf-8")


def figure(pattern):
    match = re.search(pattern, README)
    assert match, f"README no longer says: {pattern}"
    return [int(group) for group in match.groups()]


def test_the_readme_figures_are_the_demos(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (campaigns,) = figure(r"(\d+) campaign pages from real programmes")
    published, registry = figure(
        r"map of the (\d+) published demo mediation sites \((\d+) in the registry"
    )
    assert campaigns == CampaignPage.objects.live().public().count()
    assert registry == MediationSite.objects.count()
    assert published == MediationSite.objects.published().count()
    # What a visitor of the map reads.
    assert f"{published} lieux trouvés" in client.get("/carte/").content.decode()
    accounts = README.split("| account | role |", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"`([\w-]+)`", accounts.split("\n", 2)[2])
    assert names
    for name in names:
        assert client.login(username=name, password=name), name
    # Every demo account is in the table, and each programme's coordinator coordinates it.
    assert set(names) == set(get_user_model().objects.values_list("username", flat=True))
    for page in CampaignPage.objects.live():
        own = page.coordinators.exclude(username="coordination").values_list("username", flat=True)
        assert len(own) == 1 and own[0] in names, page.slug
    # Each demo programme has its own identity on its documents (not a placeholder).
    for page in CampaignPage.objects.live():
        identity = ProgrammeIdentity.objects.get(campaign=page)
        assert identity.address and identity.siret and identity.signatory_name, page.slug


def test_the_readme_documents_make_run_host_and_port():
    assert "make run PORT=8001" in README and "HOST=" in README
    makefile = Path(settings.BASE_DIR, "Makefile").read_text(encoding="utf-8")
    assert "runserver $(HOST):$(PORT)" in makefile
