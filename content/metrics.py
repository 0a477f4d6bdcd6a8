"""Live figures of a campaign, for the key-figures block of its page.

``content`` never imports ``forms``: the apps that hold the records register a
*source* here (``register_metric_source``), a function ``fn(campaign) -> dict``
mapping ``KeyFigureMetric`` values to integers, computed in a few aggregate
queries. ``campaign`` is a ``CampaignPage`` or None for the whole programme.
``forms`` registers its source in ``FormsConfig.ready()``; ``content`` registers
the one it can compute itself (the mediation sites).

The figures are shown on cached pages: every model they count is listed in
``PAGE_CACHE_PURGE_MODELS`` so that a change purges the pages.
"""

from django.apps import apps

from content.enums import KeyFigureMetric

_SOURCES = []


def register_metric_source(source):
    """Add ``source(campaign) -> {metric: int}``; usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def campaign_figures(campaign=None):
    """Every live metric of ``campaign`` (None: the whole programme); 0 when no
    source counts it."""
    figures = dict.fromkeys(KeyFigureMetric.values, 0)
    if campaign is not None and campaign.pk is None:
        return figures  # a new campaign's preview: no record names it yet
    for source in _SOURCES:
        figures.update(source(campaign))
    return figures


@register_metric_source
def mediation_sites(campaign):
    """The campaign's own sites; for the whole programme, the sites any campaign lists."""
    sites = apps.get_model("content", "MediationSite").objects
    if campaign is not None:
        count = sites.filter(campaigns__pk=campaign.pk).count()
    else:
        count = sites.filter(campaigns__isnull=False).distinct().count()
    return {KeyFigureMetric.MEDIATION_SITES: count}
