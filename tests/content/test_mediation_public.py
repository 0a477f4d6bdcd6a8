"""The public map page, its list and detail, the open data and the API."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from content.models import MediationSite
from tests.factories import MapPageFactory, MediationSiteFactory, UserFactory
from tests.factories.content import coordinated_campaign

COMPUTERS = "Acquisition de matériel informatique à prix solidaire"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def map_page(home):
    return MapPageFactory(parent=home)


@pytest.fixture
def sites(db):
    staff = UserFactory(username="staff-person", email="secret-staff@example.org")
    return {
        "dax": MediationSiteFactory(
            identifier="dax",
            nom="Lieu de Dax",
            commune="Dax",
            code_postal="40100",
            services="Aide aux démarches administratives|" + COMPUTERS,
            publics_specifiquement_adresses="Seniors",
            frais_a_charge="Gratuit",
            staff=[staff],
        ),
        "poitiers": MediationSiteFactory(
            identifier="poitiers",
            nom="Lieu de Poitiers",
            commune="Poitiers",
            code_postal="86000",
            latitude=46.58,
            longitude=0.34,
            services="Loisirs et créations numériques",
            modalites_acces="Téléphoner",
            frais_a_charge="Gratuit sous condition",
            typologie="CCAS",
        ),
        "hidden": MediationSiteFactory(identifier="cache", nom="Lieu caché", is_published=False),
    }


def listed_names(response):
    return sorted(site.nom for site in response.context["sites"])


def geojson_names(client, params):
    data = json.loads(client.get(reverse("mediation_sites_geojson"), params).content)
    return sorted(f["properties"]["nom"] for f in data["features"])


def csv_names(client, params):
    text = client.get(reverse("mediation_sites_csv"), params).content.decode("utf-8")
    return sorted(r["nom"] for r in csv.DictReader(io.StringIO(text)))


def api_names(client, params):
    data = client.get("/api/v2/mediation-sites/", params).json()
    return sorted(item["nom"] for item in data["items"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Lieu de Dax", "Lieu de Poitiers"]),
        ({"services": COMPUTERS}, ["Lieu de Dax"]),
        (
            {"services": [COMPUTERS, "Loisirs et créations numériques"]},
            ["Lieu de Dax", "Lieu de Poitiers"],
        ),
        ({"publics": "Seniors"}, ["Lieu de Dax"]),
        ({"frais": "Gratuit"}, ["Lieu de Dax"]),
        ({"frais": "Gratuit sous condition"}, ["Lieu de Poitiers"]),
        ({"typologie": "CCAS"}, ["Lieu de Poitiers"]),
        ({"materiel": "1"}, ["Lieu de Dax"]),
        ({"prescription": "1"}, ["Lieu de Dax"]),
        ({"q": "poit"}, ["Lieu de Poitiers"]),
        ({"q": "401"}, ["Lieu de Dax"]),
        ({"services": "Pas une valeur"}, ["Lieu de Dax", "Lieu de Poitiers"]),
        ({"q": "Nulle-part"}, []),
    ],
)
def test_filters_agree_on_list_map_export_and_api(client, map_page, sites, params, expected):
    response = client.get(map_page.url, params)
    assert response.status_code == 200
    assert listed_names(response) == expected
    assert geojson_names(client, params) == expected
    assert csv_names(client, params) == expected
    assert api_names(client, params) == expected
    assert response.context["result_count"] == len(expected)


def test_map_page_renders_filters_list_and_map_config(client, map_page, sites):
    response = client.get(map_page.url, {"materiel": "1"})
    text = response.text
    assert "vendor/leaflet/leaflet.js" in text and "leaflet.markercluster.js" in text
    assert "unpkg" not in text and "cdn" not in text.lower()
    assert 'role="status"' in text and "<legend>" in text and 'for="filter-q"' in text
    assert "Lieu caché" not in text
    config = json.loads(
        text.split('id="site-map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["geojson"].endswith("?materiel=1")
    assert config["zoom"] == map_page.default_zoom


def test_list_is_paginated(client, map_page):
    MediationSiteFactory.create_batch(25)
    first = client.get(map_page.url)
    assert len(first.context["sites"]) == 20 and first.context["result_count"] == 25
    second = client.get(map_page.url, {"page": 2})
    assert len(second.context["sites"]) == 5
    assert 'rel="prev"' in second.text


def test_site_detail(client, map_page, sites):
    site = sites["dax"]
    response = client.get(map_page.url + f"lieu/{site.pk}/")
    assert response.status_code == 200
    text = response.text
    assert "Lieu de Dax" in text and "12 rue Victor Hugo" in text and "+33558000000" in text
    assert "9 h" in text and "17 h 30" in text  # readable opening hours
    assert "Envoyer un mail avec une fiche de prescription" in text
    assert "secret-staff" not in text
    assert response.context["prescription_url"] is None  # no prescription form yet
    assert client.get(map_page.url + f"lieu/{sites['hidden'].pk}/").status_code == 404


def test_prescription_button_uses_the_hook(client, map_page, sites):
    from wagtail import hooks

    with hooks.register_temporarily(
        "mediation_site_prescription_url", lambda site: f"/prescrire/?lieu={site.pk}"
    ):
        response = client.get(map_page.url + f"lieu/{sites['dax'].pk}/")
        assert f"/prescrire/?lieu={sites['dax'].pk}" in response.text
        # A site that does not accept prescriptions gets no button.
        other = client.get(map_page.url + f"lieu/{sites['poitiers'].pk}/")
        assert "/prescrire/" not in other.text


def test_unpublished_sites_and_staff_never_appear_in_open_data(client, sites):
    payloads = [
        client.get(reverse("mediation_sites_geojson")).content.decode(),
        client.get(reverse("mediation_sites_csv")).content.decode(),
        client.get("/api/v2/mediation-sites/").content.decode(),
        client.get("/api/v2/mediation-sites/", {"fields": "*"}).content.decode(),
    ]
    for payload in payloads:
        assert "Lieu caché" not in payload
        assert "secret-staff" not in payload and "staff" not in payload
        assert "programme_status" not in payload
    assert client.get(f"/api/v2/mediation-sites/{sites['hidden'].pk}/").status_code == 404
    detail = client.get(f"/api/v2/mediation-sites/{sites['dax'].pk}/").json()
    assert detail["identifier"] == "dax" and detail["services"].endswith(COMPUTERS)
    assert client.get("/api/v2/mediation-sites/", {"staff": "1"}).status_code == 400


def test_geojson_is_lean_and_cached(client, sites):
    url = reverse("mediation_sites_geojson")
    response = client.get(url)
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    feature = data["features"][0]
    assert set(feature["properties"]) == {"id", "nom", "materiel", "prescription"}
    assert feature["geometry"]["type"] == "Point"
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # Any change to the registry changes the validators.
    sites["hidden"].is_published = True
    sites["hidden"].save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert len(json.loads(changed.content)["features"]) == 3
    sites["hidden"].delete()
    assert client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_query_counts_do_not_grow_with_the_number_of_sites(
    client, map_page, coordination_user, django_assert_max_num_queries, count
):
    MediationSiteFactory.create_batch(count)
    with django_assert_max_num_queries(20):
        assert client.get(map_page.url, {"services": COMPUTERS}).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(map_page.url + f"lieu/{MediationSite.objects.first().pk}/").status_code
            == 200
        )
    for url in [reverse("mediation_sites_geojson"), reverse("mediation_sites_csv")]:
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == 200  # warm: one version query
    with django_assert_max_num_queries(4):
        assert client.get("/api/v2/mediation-sites/", {"limit": 50}).status_code == 200
    client.force_login(coordination_user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("content_mediationsite:index")).status_code == 200
    with django_assert_max_num_queries(30):
        response = client.get(reverse("content_mediationsite:index"), {"standard_export": "csv"})
        assert response.status_code == 200


def test_admin_edit_form_saves_multi_values(client, coordination_user):
    site = MediationSiteFactory()
    coordinated_campaign(coordination_user)  # a campaign across France: sees every free site
    client.force_login(coordination_user)
    url = reverse("content_mediationsite:edit", args=[site.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Gratuit sous condition"' in form.text
    data = {
        "identifier": site.identifier,
        "pivot": site.pivot,
        "nom": "Nouveau nom",
        "commune": site.commune,
        "code_postal": site.code_postal,
        "code_insee": site.code_insee,
        "adresse": site.adresse,
        "date_maj": "2026-05-01",
        "telephone": "0558000000",
        "services": [
            "Aide aux démarches administratives",
            "Accès internet et matériel informatique",
        ],
        "frais_a_charge": ["Gratuit"],
        "programme_status": "signed",
        "is_published": "on",
    }
    invalid = client.post(url, data)
    assert invalid.status_code == 200
    assert "+33558000000" in invalid.text  # the phone error shows the expected form
    data["telephone"] = "+33558000000"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    site.refresh_from_db()
    assert site.nom == "Nouveau nom"
    assert (
        site.services
        == "Aide aux démarches administratives|Accès internet et matériel informatique"
    )
    assert site.hands_over_computers
