"""A public site at two sizes: ``scale`` and ten times more of everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from content.enums import KeyFigureMetric
from content.models import NavigationSettings
from tests.factories import (
    CampaignPageFactory,
    DonorPledgeFactory,
    FormPageFactory,
    ImageFactory,
    MapPageFactory,
    MediationSiteFactory,
    StandardPageFactory,
    make_site_tree,
)

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def body(page, images):
    return [
        {"type": "hero", "value": {"title": "Un ordinateur pour tous", "text": "", "image": None}},
        {"type": "rich_text", "value": "<p>Des ordinateurs reconditionnés.</p>"},
        {
            "type": "live_figures",
            "value": {
                "heading": "En direct",
                "figures": [
                    {"metric": metric, "label": "", "goal": 100}
                    for metric in KeyFigureMetric.values
                ],
            },
        },
        {
            "type": "partners",
            "value": {
                "heading": "Partenaires",
                "partners": [
                    {"name": f"P{i}", "logo": image.pk, "url": ""} for i, image in enumerate(images)
                ],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Donner",
                "text": "",
                "buttons": [
                    {"label": "", "page": page.pk, "url": "", "style": "primary"},
                    {
                        "label": "Site",
                        "page": None,
                        "url": "https://example.org",
                        "style": "secondary",
                    },
                ],
            },
        },
    ]


def build_site(scale):
    """A home page, a campaign with a rich body and its pledge form, a map, and
    ``scale`` of each kind of data (see ``grow``)."""
    home, index = make_site_tree()
    site = {"home": home, "index": index, "images": [], "pages": [], "pledges": 0}
    site["map"] = MapPageFactory(parent=home)
    grow(site, scale)
    campaign = site["campaigns"][0]
    campaign.body = body(site["pages"][0], site["images"][:3])
    campaign.save_revision().publish()
    site["campaign"] = campaign.__class__.objects.get(pk=campaign.pk)
    site["form_page"] = FormPageFactory(parent=campaign)
    site["site"] = site["sites"][0]
    return site


def grow(site, scale):
    """Add 3 x scale images, scale pages, 2 x scale campaigns, 5 x scale mediation
    sites and 3 x scale pledges; the navigation lists up to 8 pages."""
    site["images"] += [ImageFactory(file__width=40, file__height=30) for _ in range(3 * scale)]
    site["pages"] += [StandardPageFactory(parent=site["home"]) for _ in range(scale)]
    images = site["images"]
    site.setdefault("campaigns", [])
    site["campaigns"] += [
        CampaignPageFactory(parent=site["index"], listing_image=images[i % len(images)])
        for i in range(2 * scale)
    ]
    site.setdefault("sites", [])
    site["sites"] += [MediationSiteFactory() for _ in range(5 * scale)]
    for _ in range(3 * scale):
        site["pledges"] += 1
        DonorPledgeFactory(reference=f"PERF-{site['pledges']:05d}")
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    links = [
        {"type": "link", "value": {"label": "", "page": page.pk, "url": ""}}
        for page in site["pages"][:8]
    ]
    navigation.main_menu = links
    navigation.footer_links = links
    navigation.save()


def count(client, url, method="get", **data):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    return response, captured.captured_queries


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().split(" ", 1)[0].upper() in WRITES]


@pytest.fixture
def database_caches(settings, db):
    """The production cache layout: database cache, its page alias, renditions in memory."""
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_page_cache",
        },
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
    }
    call_command("createcachetable", verbosity=0)
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    return settings
