"""The public map filtered to a campaign: its list, its map data, its open data."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from content.enums import ProgrammeStatus
from tests.factories import CampaignPageFactory, MapPageFactory, MediationSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def map_page(home):
    return MapPageFactory(parent=home)


@pytest.fixture
def sites():
    def site(nom, commune, code_postal, **kwargs):
        return MediationSiteFactory(nom=nom, commune=commune, code_postal=code_postal, **kwargs)

    return {
        "dax": site("Lieu de Dax", "Dax", "40100"),
        "mont": site("Lieu de Mont-de-Marsan", "Mont-de-Marsan", "40000"),
        "walk_in": site("Café de Dax", "Dax", "40100", modalites_acces="Se présenter"),
        "left": site("Lieu parti", "Dax", "40100", programme_status=ProgrammeStatus.LEFT),
        "poitiers": site("Lieu de Poitiers", "Poitiers", "86000", code_insee="86194"),
        "rochelle": site("Lieu de La Rochelle", "La Rochelle", "17000", code_insee="17300"),
    }


@pytest.fixture
def campaigns(campaign_index, sites):
    landes = CampaignPageFactory(parent=campaign_index, title="OrdiPin40", slug="ordipin40")
    landes.departments = "40"
    landes.save_revision().publish()
    face = CampaignPageFactory(parent=campaign_index, title="Mon ordi est une chance", slug="face")
    face.departments = "17"
    face.sites.set([sites["rochelle"], sites["walk_in"]])
    face.save_revision().publish()
    draft = CampaignPageFactory(parent=campaign_index, title="Brouillon", slug="brouillon")
    draft.unpublish()
    return {"landes": landes, "face": face}


def listed(response):
    return sorted(site.nom for site in response.context["sites"])


def geojson(client, params):
    data = json.loads(client.get(reverse("mediation_sites_geojson"), params).content)
    return sorted(feature["properties"]["nom"] for feature in data["features"])


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("ordipin40", ["Lieu de Dax", "Lieu de Mont-de-Marsan"]),
        ("face", ["Café de Dax", "Lieu de La Rochelle"]),
    ],
)
def test_a_campaign_filter_lists_its_sites_without_and_with_javascript(
    client, map_page, campaigns, slug, expected
):
    response = client.get(map_page.url, {"campagne": slug})
    assert response.status_code == 200
    assert listed(response) == expected
    assert response.context["result_count"] == len(expected)
    assert geojson(client, {"campagne": slug}) == expected
    config = response.context["map_config"]
    assert config["geojson"].endswith(f"?campagne={slug}")


def test_the_filter_form_offers_the_live_campaigns(client, map_page, campaigns):
    html = client.get(map_page.url, {"campagne": "face"}).content.decode()
    assert '<label for="filter-campagne">Campagne</label>' in html
    assert '<option value="face" selected>Mon ordi est une chance</option>' in html
    assert '<option value="ordipin40">OrdiPin40</option>' in html
    assert "Brouillon" not in html


def test_an_unknown_campaign_filters_nothing(client, map_page, campaigns, sites):
    response = client.get(map_page.url, {"campagne": "brouillon"})
    assert len(listed(response)) == len(sites)


def test_the_map_data_follows_a_change_of_the_campaign_sites(client, campaigns, sites):
    assert geojson(client, {"campagne": "face"}) == ["Café de Dax", "Lieu de La Rochelle"]
    face = campaigns["face"]
    face.sites.set([sites["poitiers"]])
    face.save_revision().publish()
    assert geojson(client, {"campagne": "face"}) == ["Lieu de Poitiers"]
