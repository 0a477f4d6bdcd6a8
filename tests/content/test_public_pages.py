"""What a visitor reads: home, campaign index and filters, campaign pages, search."""

import pytest

from content.enums import CampaignStatus
from content.models import NavigationSettings
from tests.factories import CampaignPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_lists_current_campaigns_only(client, campaign_index):
    CampaignPageFactory(parent=campaign_index, title="Campagne en cours")
    CampaignPageFactory(
        parent=campaign_index, title="Campagne finie", status=CampaignStatus.FINISHED
    )
    CampaignPageFactory(parent=campaign_index, title="Brouillon", live=False)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "Campagne en cours" in html
    assert "Campagne finie" not in html
    assert "Brouillon" not in html


def test_campaign_index_filters_by_status(client, campaign_index):
    CampaignPageFactory(
        parent=campaign_index, title="Opération Anjou", status=CampaignStatus.UPCOMING
    )
    CampaignPageFactory(
        parent=campaign_index, title="Opération Poitiers", status=CampaignStatus.RUNNING
    )
    CampaignPageFactory(
        parent=campaign_index, title="Opération Landes", status=CampaignStatus.FINISHED
    )
    html = client.get(campaign_index.url, {"status": "finished"}).content.decode()
    assert "Opération Landes" in html
    assert "Opération Poitiers" not in html and "Opération Anjou" not in html
    assert '<option value="finished" selected>Terminée</option>' in html
    html = client.get(campaign_index.url).content.decode()
    assert all(f"Opération {name}" in html for name in ("Landes", "Poitiers", "Anjou"))
    # An unknown value is ignored rather than producing an error.
    assert client.get(campaign_index.url, {"status": "<script>"}).status_code == 200


def test_campaign_page_shows_its_facts_in_french(client, campaign_index):
    page = CampaignPageFactory(
        parent=campaign_index, title="OrdiPin40", territory="Landes", goal=1800
    )
    html = client.get(page.url).content.decode()
    assert "<h1>OrdiPin40</h1>" in html
    assert "Landes" in html
    assert "1800 ordinateurs" in html
    assert "En cours" in html
    assert "Depuis le 15 janvier 2026" in html


def test_search_finds_published_pages_only(client, home, campaign_index):
    CampaignPageFactory(parent=campaign_index, title="Reconditionnement à Poitiers")
    CampaignPageFactory(parent=campaign_index, title="Reconditionnement secret", live=False)
    response = client.get("/recherche/", {"q": "Reconditionnement"})
    html = response.content.decode()
    assert "Reconditionnement à Poitiers" in html
    assert "Reconditionnement secret" not in html
    assert client.get("/recherche/", {"q": ""}).status_code == 200
    assert client.get("/recherche/", {"q": "x" * 5000, "page": "abc"}).status_code == 200


def test_navigation_and_footer_come_from_settings(client, home):
    about = StandardPageFactory(parent=home, title="À propos", slug="a-propos")
    navigation = NavigationSettings.for_site(home.get_site())
    navigation.main_menu = [("link", {"page": about, "label": "", "url": ""})]
    navigation.footer_links = [
        ("link", {"page": None, "label": "Code source", "url": "https://example.org/code"})
    ]
    navigation.footer_text = "Un portail libre."
    navigation.save()
    html = client.get(about.url).content.decode()
    assert '<nav class="main-nav" aria-label="Menu principal">' in html
    assert '<a href="/a-propos/" aria-current="page">À propos</a>' in html
    assert '<a href="https://example.org/code">Code source</a>' in html
    assert "Un portail libre." in html


def test_unknown_page_is_a_french_404(client, home):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
