"""The programme indicators dashboard of one campaign: the report's figures laid out
for the admin page, its exports and its PDF, and the bar charts' geometry (drawn
as SVG on the page and as table bars in the PDF, whose renderer draws no SVG)."""

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from content.enums import KeyFigureMetric
from forms.logistics.services.report import INDICATOR_LABELS, programme_report, report_rows

CHART_WIDTH = 720
LABEL_WIDTH = 210
VALUE_WIDTH = 130
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 8
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH


def _bar(label, value, scale, display=None, goal=None):
    """One horizontal bar: its length in the SVG and in percent of the full width."""
    value = value or 0
    share = min(value / scale, 1) if scale else 0
    goal_share = min(goal / scale, 1) if scale and goal is not None else None
    return {
        "label": label,
        "value": value,
        "display": display if display is not None else str(value),
        "pct_width": round(share * 100, 1),
        "pct_rest": round(100 - share * 100, 1),
        "width": round(share * BAR_SPACE, 1),
        "goal": goal,
        "goal_x": None if goal_share is None else round(LABEL_WIDTH + goal_share * BAR_SPACE, 1),
    }


def _chart(chart_id, title, description, bars):
    for index, bar in enumerate(bars):
        bar["y"] = TOP + index * ROW_HEIGHT
        bar["text_y"] = bar["y"] + BAR_HEIGHT - 4
        bar["value_x"] = LABEL_WIDTH + bar["width"] + 6
        bar["goal_top"] = bar["y"] - 3
        bar["goal_bottom"] = bar["y"] + BAR_HEIGHT + 3
    return {
        "id": chart_id,
        "title": title,
        "description": description,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": TOP * 2 + len(bars) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def pipeline_rows(report):
    """The OrdiPin40 table: each stage with its count and its share."""
    devices, rates = report["devices"], report["rates"]
    transferred_detail = _("to %(sites)s sites under %(agreements)s agreements") % {
        "sites": devices["sites_transferred_to"],
        "agreements": report["transfer_agreements"],
    }
    return [
        {"label": _("Taken in"), "value": devices["taken_in"], "detail": ""},
        {
            "label": _("Eliminated"),
            "value": devices["eliminated"],
            "pct": rates["eliminated_pct"],
            "detail": _("of the devices taken in"),
        },
        {
            "label": _("Refurbished"),
            "value": devices["refurbished"],
            "pct": rates["refurbished_pct"],
            "detail": _("of the devices taken in"),
        },
        {
            "label": _("Returned broken"),
            "value": devices["returned_broken"],
            "pct": rates["returned_broken_pct"],
            "detail": _("of the devices refurbished"),
        },
        {"label": _("Lent"), "value": devices["lent"], "detail": ""},
        {
            "label": _("Transferred to sites"),
            "value": devices["transferred_to_sites"],
            "detail": transferred_detail,
        },
        {"label": _("Handed over"), "value": devices["handed_over"], "detail": ""},
    ]


def indicator_rows(report):
    rows = []
    for key, indicator in report["indicators"].items():
        unit = " %" if indicator["unit"] == "pct" else ""
        value, goal = indicator["value"], indicator["goal"]
        if indicator["met"] is None:
            met = pgettext("indicators", "no goal") if goal is None else _("not measured yet")
        else:
            met = (
                pgettext("indicators", "met")
                if indicator["met"]
                else pgettext("indicators", "not met")
            )
        rows.append(
            {
                "key": key,
                "label": str(INDICATOR_LABELS[key]),
                "value": value,
                "value_display": "–" if value is None else f"{number_format(value)}{unit}",
                "goal": goal,
                "goal_display": "–" if goal is None else f"{goal}{unit}",
                "met": indicator["met"],
                "met_display": met,
                "unit": indicator["unit"],
            }
        )
    return rows


def pipeline_chart(rows):
    scale = max((row["value"] for row in rows), default=0)
    bars = [
        _bar(row["label"], row["value"], scale, display=number_format(row["value"])) for row in rows
    ]
    description = "; ".join(f"{bar['label']} : {bar['display']}" for bar in bars)
    return _chart("pipeline-chart", _("Devices at each stage"), description, bars)


def goal_chart(rows):
    """Each indicator's value against its goal (the goal is a vertical mark)."""
    bars = []
    for row in rows:
        scale = 100 if row["unit"] == "pct" else max(row["value"] or 0, row["goal"] or 0)
        display = f"{row['value_display']} / {row['goal_display']}"
        bars.append(_bar(row["label"], row["value"], scale, display=display, goal=row["goal"]))
    description = "; ".join(
        _("%(label)s: %(value)s, goal %(goal)s")
        % {"label": row["label"], "value": row["value_display"], "goal": row["goal_display"]}
        for row in rows
    )
    return _chart("goal-chart", _("Indicators against their goals"), description, bars)


def key_figure_rows(report):
    """The campaign page's key figures, with their labels, in the order of the page's choices."""
    return [
        {"key": key, "label": str(KeyFigureMetric(key).label), "value": value}
        for key, value in report["key_figures"].items()
    ]


def dashboard(campaign):
    """Everything the page, the exports and the PDF show for ``campaign``."""
    report = programme_report(campaign)
    pipeline = pipeline_rows(report)
    indicators = indicator_rows(report)
    charts = [pipeline_chart(pipeline), goal_chart(indicators)]
    return {
        "campaign": campaign,
        "report": report,
        "key_figures": key_figure_rows(report),
        "pipeline": pipeline,
        "indicators": indicators,
        "pipeline_chart": charts[0],
        "goal_chart": charts[1],
        "charts": charts,
        "generated_at": timezone.localtime(),
    }


def export_headers():
    return [
        pgettext("indicators", "Section"),
        pgettext("indicators", "Figure"),
        _("Value"),
        _("Goal"),
        pgettext("indicators", "Goal met"),
    ]


def export_rows(data):
    return report_rows(data["report"], labelled=True)


def sheet_title():
    return pgettext("indicators", "Programme indicators")


def export_filename(campaign, extension):
    stamp = timezone.localdate().isoformat()
    return f"indicateurs-{slugify(campaign.slug or campaign.pk)}-{stamp}.{extension}"
