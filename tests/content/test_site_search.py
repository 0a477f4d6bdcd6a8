"""The site search finds mediation sites by name, commune and service."""

import pytest

from tests.factories import MapPageFactory, MediationSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(home):
    MapPageFactory(parent=home)
    return {
        "dax": MediationSiteFactory(
            nom="Médiathèque de Dax",
            commune="Dax",
            code_postal="40100",
            services="Aide aux démarches administratives",
        ),
        "poitiers": MediationSiteFactory(
            nom="Espace public numérique des Couronneries",
            commune="Poitiers",
            code_postal="86000",
            services="Acquisition de matériel informatique à prix solidaire",
        ),
        "hidden": MediationSiteFactory(nom="Médiathèque cachée", commune="Dax", is_published=False),
    }


def found(client, query):
    html = client.get("/recherche/", {"q": query}).content.decode()
    section = (
        html.split('id="search-sites"', 1)[1].split("</section>", 1)[0]
        if 'id="search-sites"' in html
        else ""
    )
    return html, section


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Médiathèque", {"dax"}),  # name
        ("couronneries", {"poitiers"}),  # name, any case
        ("Poitiers", {"poitiers"}),  # commune
        ("86000", {"poitiers"}),  # postcode
        ("matériel informatique", {"poitiers"}),  # service, every word
        ("démarches Dax", {"dax"}),
        ("démarches Poitiers", set()),
    ],
)
def test_sites_by_name_commune_and_service(client, sites, query, expected):
    html, section = found(client, query)
    shown = {key for key, site in sites.items() if site.nom in section}
    assert shown == expected
    assert "Médiathèque cachée" not in html  # unpublished sites never appear
    for key in expected:
        assert f'href="/carte/lieu/{sites[key].pk}/"' in section
    if expected:
        assert client.get(f"/carte/lieu/{sites[next(iter(expected))].pk}/").status_code == 200


def test_site_search_queries_are_bounded(client, sites, django_assert_max_num_queries):
    for n in range(30):
        MediationSiteFactory(nom=f"Espace numérique Dax {n}", commune="Dax")
    with django_assert_max_num_queries(12):
        html, section = found(client, "Dax")
    assert section.count("<li>") == 20 and "Voir tous les lieux sur la carte" in section
