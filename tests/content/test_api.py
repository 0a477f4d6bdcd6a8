"""The headless read API: published content only, never drafts or private pages."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import CampaignPageFactory, ImageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def listed_titles(client, **params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_campaign_page_fields_and_streamfield_as_json(client, campaign_index):
    image = ImageFactory()
    page = CampaignPageFactory(
        parent=campaign_index,
        title="OrdiPin40",
        listing_image=image,
        body=[
            (
                "key_figures",
                {
                    "heading": "Bilan",
                    "figures": [{"value": 1341, "goal": 1541, "label": "ordinateurs cédés"}],
                },
            ),
            (
                "faq",
                {
                    "heading": "",
                    "questions": [{"question": "Qui ?", "answer": "<p>Les familles.</p>"}],
                },
            ),
        ],
    )
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["meta"]["type"] == "content.CampaignPage"
    assert data["territory"] == "Landes"
    assert data["status"] == "running"
    assert data["goal"] == 500
    assert data["start_date"] == "2026-01-15"
    assert data["listing_image"]["url"].startswith("/media/images/")
    assert data["listing_image"]["width"] == 800
    figures = data["body"][0]
    assert figures["type"] == "key_figures"
    assert figures["value"]["figures"][0] == {
        "value": 1341,
        "goal": 1541,
        "label": "ordinateurs cédés",
    }
    assert data["body"][1]["value"]["questions"][0]["answer"] == "<p>Les familles.</p>"


def test_listing_filters_by_type(client, campaign_index, home):
    CampaignPageFactory(parent=campaign_index, title="Campagne A")
    StandardPageFactory(parent=home, title="À propos")
    assert listed_titles(client, type="content.CampaignPage") == {"Campagne A"}


def test_drafts_and_private_pages_never_leak(client, campaign_index, home):
    live = CampaignPageFactory(parent=campaign_index, title="Publiée")
    draft = CampaignPageFactory(parent=campaign_index, title="Brouillon", live=False)
    private = StandardPageFactory(parent=home, title="Privée")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    # An unpublished change to a live page is not shown either.
    live.title = "Titre pas encore publié"
    live.save_revision()

    titles = listed_titles(client)
    assert "Publiée" in titles
    assert not titles & {"Brouillon", "Privée", "Titre pas encore publié"}
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{live.pk}/").json()["title"] == "Publiée"


def test_images_come_with_rendition_urls(client):
    image = ImageFactory(title="Logo")
    listing = client.get("/api/v2/images/").json()
    assert listing["items"][0]["thumbnail"]["width"] == 400
    detail = client.get(f"/api/v2/images/{image.pk}/").json()
    assert detail["large"]["url"].startswith("/media/images/")
    assert detail["meta"]["download_url"].startswith("/media/original_images/")


def test_documents_endpoint(client):
    from wagtail_factories import DocumentFactory

    DocumentFactory(title="Convention de don")
    items = client.get("/api/v2/documents/").json()["items"]
    assert [item["title"] for item in items] == ["Convention de don"]


def test_api_v3_is_not_mounted(client):
    assert client.get("/api/v3/pages/").status_code == 404
    assert client.post("/api/v2/pages/", {}).status_code == 405
