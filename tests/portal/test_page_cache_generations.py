"""The page cache never serves a page older than the last publish, even when a render
that read the database before the publish stores itself after the purge; and a purge
touches only what changed. Each test runs on the in-memory cache and on a real Redis
(tests/redis_server.py)."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail import hooks

import content.blocks
from content.enums import KeyFigureMetric as Metric
from portal import generations, page_cache
from portal.page_cache import HIT_HEADER
from tests.factories import (
    CampaignPageFactory,
    DonorPledgeFactory,
    MapPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    settings.PAGE_CACHE = True
    if request.param == "redis":
        request.getfixturevalue("redis_caches")
    return request.param


def figures_block():
    return {
        "type": "live_figures",
        "value": {
            "heading": "En direct",
            "figures": [{"metric": Metric.PLEDGED_DEVICES, "label": "promis", "goal": None}],
        },
    }


def text_block(text):
    return {"type": "rich_text", "value": f"<p>{text}</p>"}


def publish(page, *, body=None, **fields):
    page = page.__class__.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    if body is not None:
        page.body = body
    page.save_revision().publish()
    return page


@pytest.fixture
def site(shared_cache, home, campaign_index):
    """Two campaigns showing their figures, a page showing the programme's, a page
    showing none, a map."""
    landes = CampaignPageFactory(parent=campaign_index, title="Landes", slug="landes")
    gironde = CampaignPageFactory(parent=campaign_index, title="Gironde", slug="gironde")
    programme = StandardPageFactory(parent=home, title="Le programme", slug="programme")
    plain = StandardPageFactory(parent=home, title="Mentions", slug="mentions")
    carte = MapPageFactory(parent=home, slug="carte")
    return {
        "landes": publish(landes, body=[text_block("Version 1"), figures_block()]),
        "gironde": publish(gironde, body=[figures_block()]),
        "programme": publish(programme, body=[figures_block()]),
        "plain": publish(plain, body=[text_block("Rien ici")]),
        "map": publish(carte),
    }


def warm(client, pages):
    """Cache every page: its second view is a hit."""
    for page in pages:
        client.get(page.url)
        assert client.get(page.url)[HIT_HEADER] == "hit", page.url


def served_from_cache(client, pages):
    return {name: client.get(page.url).get(HIT_HEADER) == "hit" for name, page in pages.items()}


def pledged(client, page):
    html = client.get(page.url).content.decode()
    found = re.search(
        r'<strong>(\d+)</strong>\s*<span class="key-figure__label">promis</span>', html
    )
    return int(found.group(1))


# A render stored after a publish --------------------------------------------


def test_a_render_begun_before_a_publish_is_not_served_after_it(client, site):
    """A worker reads the page, the editor's publish commits and purges, then the
    worker stores its (old) render: the next visitor must get the new page."""
    landes = site["landes"]
    published = []

    def publish_meanwhile(page, request, serve_args, serve_kwargs):
        if page.pk == landes.pk and not published:
            published.append(publish(landes, title="Landes solidaires"))

    with hooks.register_temporarily("before_serve_page", publish_meanwhile):
        stale = client.get(landes.url)
    assert published and b"<title>Landes" in stale.content  # rendered from the old page
    assert b"Landes solidaires" not in stale.content

    fresh = client.get(landes.url)
    assert fresh[HIT_HEADER] == "miss"
    assert b"Landes solidaires" in fresh.content
    assert client.get(landes.url)[HIT_HEADER] == "hit"


def test_a_stale_render_of_a_cached_page_is_stored_under_the_old_generation(client, site):
    """The same race on a page already cached: the render that saw version 2 while
    version 3 was published must not be served once version 3 is out."""
    landes = site["landes"]
    warm(client, [landes])
    publish(landes, body=[text_block("Version 2"), figures_block()])
    published = []

    def publish_meanwhile(page, request, serve_args, serve_kwargs):
        if page.pk == landes.pk and not published:
            published.append(publish(landes, body=[text_block("Version 3"), figures_block()]))

    with hooks.register_temporarily("before_serve_page", publish_meanwhile):
        stale = client.get(landes.url)
    assert published and b"Version 2" in stale.content

    fresh = client.get(landes.url)
    assert fresh[HIT_HEADER] == "miss" and b"Version 3" in fresh.content


def test_a_pledge_committed_while_the_figures_render_does_not_leave_them_stale(
    client, site, monkeypatch
):
    landes = site["landes"]
    warm(client, [landes])
    counted = content.blocks.campaign_figures

    def figures_then_pledge(campaign):
        figures = counted(campaign)  # read before the pledge commits
        monkeypatch.setattr(content.blocks, "campaign_figures", counted)
        DonorPledgeFactory(campaign=landes, laptops=4, desktops=0, tablets=0)
        return figures

    publish(landes, body=[text_block("Version 2"), figures_block()])  # the entry is stale
    monkeypatch.setattr(content.blocks, "campaign_figures", figures_then_pledge)
    assert pledged(client, landes) == 0
    assert pledged(client, landes) == 4


# Purge only what changed ---------------------------------------------------


def test_a_pledge_purges_its_campaign_and_the_programme_figures_only(client, site):
    warm(client, site.values())
    DonorPledgeFactory(campaign=site["landes"], laptops=3, desktops=0, tablets=0)
    assert served_from_cache(client, site) == {
        "landes": False,
        "gironde": True,
        "programme": False,
        "plain": True,
        "map": True,
    }
    assert pledged(client, site["landes"]) == 3
    assert pledged(client, site["programme"]) == 3
    assert pledged(client, site["gironde"]) == 0


def test_publishing_a_campaign_s_body_purges_that_campaign_only(client, site):
    warm(client, site.values())
    publish(site["landes"], body=[text_block("Version 2"), figures_block()])
    assert served_from_cache(client, site) == {
        "landes": False,
        "gironde": True,
        "programme": True,
        "plain": True,
        "map": True,
    }
    assert b"Version 2" in client.get(site["landes"].url).content


def test_a_campaign_s_new_title_purges_every_page_that_may_list_it(client, site):
    warm(client, site.values())
    publish(site["landes"], title="Landes solidaires")
    assert not any(served_from_cache(client, site).values())
    assert b"Landes solidaires" in client.get(site["map"].url).content  # its filter


def test_purge_without_scopes_purges_everything(client, site):
    warm(client, site.values())
    page_cache.purge()
    assert not any(served_from_cache(client, site).values())


# manage.py purge_page_cache ------------------------------------------------


def test_the_command_purges_one_campaign_or_everything(client, site, capsys):
    warm(client, site.values())
    call_command("purge_page_cache", "--campaign", "landes")
    assert "campagne « Landes »" in capsys.readouterr().out
    assert served_from_cache(client, site) == {
        "landes": False,
        "gironde": True,
        "programme": True,
        "plain": True,
        "map": True,
    }
    call_command("purge_page_cache")
    assert "toutes les pages" in capsys.readouterr().out
    assert not any(served_from_cache(client, site).values())
    with pytest.raises(CommandError, match="inconnue"):
        call_command("purge_page_cache", "--campaign", "inconnue")


def test_a_purge_in_a_transaction_bumps_again_once_it_commits(
    shared_cache, django_capture_on_commit_callbacks
):
    """Bumped at once (this process sees it), and once more after the commit: a render
    that began between the two read the rows as they were before the commit."""
    cache = page_cache.page_cache()
    scope = generations.campaign_scope(1)
    before = generations.read(cache, [scope])[scope]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        page_cache.purge({scope})
        page_cache.purge({scope, generations.FIGURES})
        during = generations.read(cache, [scope])[scope]
    assert len(callbacks) == 1  # one bump on commit for the whole transaction
    assert during == before + 2
    assert generations.read(cache, [scope])[scope] == during + 1
