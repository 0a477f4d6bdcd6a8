"""OpenStreetMap ``opening_hours`` values: validation and a readable rendering.

The standard asks for the OSM syntax (https://wiki.openstreetmap.org/wiki/Key:opening_hours).
This module accepts the part of it that mediation sites use: rules separated by
``;`` (or ``||``), each made of optional month / week / weekday selectors
(``Jan-Jun``, ``week 01-26``, ``Mo-Fr``, ``Mo,We``, ``Su[1]``, ``PH``, ``SH``),
then time spans (``09:00-12:00,14:00-18:30``, ``18:00+``), a state (``off``,
``closed``, ``open``, ``unknown``) and/or a quoted comment; and ``24/7``.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
MONTH_KEYS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
STATES = {"off", "closed", "open", "unknown"}
TIME = r"(?:[01]?\d|2[0-4]):[0-5]\d"
TIMESPAN = rf"{TIME}(?:-{TIME}|\+)"
TIMESPANS_RE = re.compile(rf"{TIMESPAN}(?:,{TIMESPAN})*")
DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
WEEKDAY_ITEM = rf"(?:{DAY}(?:\[-?[1-5](?:-[1-5])?(?:,-?[1-5])*\])?(?:-{DAY})?|PH|SH)"
WEEKDAYS_RE = re.compile(rf"{WEEKDAY_ITEM}(?:,{WEEKDAY_ITEM})*")
MONTH = "(?:" + "|".join(MONTH_KEYS) + ")"
MONTHS_RE = re.compile(rf"{MONTH}(?:-{MONTH})?(?:,{MONTH}(?:-{MONTH})?)*")
WEEKS_RE = re.compile(r"\d{1,2}(?:-\d{1,2})?(?:/\d)?(?:,\d{1,2}(?:-\d{1,2})?)*")
COMMENT_RE = re.compile(r'"([^"]*)"')

ALWAYS = "24/7"
WEEK_KEYWORD = "week"
EXAMPLE = "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"


@dataclass
class Rule:
    months: str = ""
    weeks: str = ""
    weekdays: str = ""
    times: str = ""
    state: str = ""
    comment: str = ""
    always: bool = False
    extra: list = field(default_factory=list)


def _error(part):
    return ValidationError(
        _(
            "“%(part)s” is not understood in the opening hours. Use the OpenStreetMap "
            "format, e.g. %(example)s."
        ),
        code="invalid",
        params={"part": part, "example": EXAMPLE},
    )


def _check_times(spans):
    for span in spans.split(","):
        if span.endswith("+"):
            continue
        start, end = span.split("-")
        if _minutes(start) > 24 * 60 or _minutes(end) > 24 * 60:
            raise _error(span)


def _minutes(value):
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def parse_rule(text):
    rule = Rule()
    comments = COMMENT_RE.findall(text)
    rule.comment = " ".join(comments)
    text = COMMENT_RE.sub(" ", text)
    text = re.sub(r"\s*,\s*", ",", text)  # "09:00-12:00, 14:00-18:00"
    text = re.sub(r"\s*-\s*(?=\d|[A-Z])", "-", text)
    tokens = text.split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == ALWAYS and not rule.always:
            rule.always = True
        elif (
            token == WEEK_KEYWORD
            and index + 1 < len(tokens)
            and WEEKS_RE.fullmatch(tokens[index + 1])
        ):
            index += 1
            rule.weeks = tokens[index]
        elif MONTHS_RE.fullmatch(token) and not rule.months:
            rule.months = token
        elif WEEKDAYS_RE.fullmatch(token) and not rule.weekdays:
            rule.weekdays = token
        elif TIMESPANS_RE.fullmatch(token) and not rule.times:
            _check_times(token)
            rule.times = token
        elif token in STATES and not rule.state:
            rule.state = token
        else:
            raise _error(token)
        index += 1
    if not (rule.always or rule.times or rule.state or rule.comment):
        raise _error(text.strip() or ";")
    return rule


def parse(value):
    """The rules of an opening_hours value; raises ValidationError if it is not valid."""
    value = (value or "").strip()
    if not value:
        return []
    parts = re.split(r";|\|\|", value)
    rules = []
    for position, part in enumerate(parts):
        if not part.strip():
            if position == len(parts) - 1 and position > 0:
                continue  # a trailing ";" is tolerated
            raise _error(value)
        rules.append(parse_rule(part.strip()))
    return rules


def validate_opening_hours(value):
    parse(value)


# Readable rendering -------------------------------------------------------
def _day_name(key):
    return str(WEEKDAYS[DAYS.index(key)])


def _describe_weekday_item(item):
    if item == "PH":
        return gettext("public holidays")
    if item == "SH":
        return gettext("school holidays")
    nth = ""
    match = re.fullmatch(rf"({DAY})(\[[^\]]+\])?(?:-({DAY}))?", item)
    first, position, last = match.groups()
    if position:
        nth = gettext(" (week %(position)s of the month)") % {"position": position.strip("[]")}
    if last:
        return gettext("%(first)s to %(last)s") % {
            "first": _day_name(first),
            "last": _day_name(last),
        }
    return _day_name(first) + nth


def _describe_times(spans):
    described = []
    for span in spans.split(","):
        if span.endswith("+"):
            described.append(gettext("from %(start)s") % {"start": _time(span[:-1])})
        else:
            start, end = span.split("-")
            described.append(
                gettext("%(start)s to %(end)s") % {"start": _time(start), "end": _time(end)}
            )
    return gettext(" and ").join(described)


def _time(value):
    hours, minutes = value.split(":")
    return f"{int(hours)} h {minutes}" if minutes != "00" else f"{int(hours)} h"


def _describe_months(months):
    def month(key):
        return str(MONTHS[MONTH_KEYS.index(key) + 1])

    items = []
    for item in months.split(","):
        first, _sep, last = item.partition("-")
        if last:
            items.append(
                gettext("%(first)s to %(last)s") % {"first": month(first), "last": month(last)}
            )
        else:
            items.append(month(first))
    return ", ".join(items)


def describe(value):
    """One readable line per rule, e.g. "lundi to vendredi: 9 h to 12 h"."""
    try:
        rules = parse(value)
    except ValidationError:
        return [value]
    lines = []
    for rule in rules:
        if rule.always:
            lines.append(gettext("Open 24 hours a day, 7 days a week"))
            continue
        when = []
        if rule.months:
            when.append(_describe_months(rule.months))
        if rule.weeks:
            when.append(gettext("weeks %(weeks)s") % {"weeks": rule.weeks})
        if rule.weekdays:
            items = re.split(r",(?![^\[]*\])", rule.weekdays)
            when.append(", ".join(_describe_weekday_item(item) for item in items))
        what = ""
        if rule.state in {"off", "closed"}:
            what = gettext("closed")
        elif rule.times:
            what = _describe_times(rule.times)
        elif rule.state == "open":
            what = gettext("open")
        if rule.comment:
            what = f"{what} ({rule.comment})" if what else rule.comment
        label = " – ".join(when)
        line = f"{label[:1].upper()}{label[1:]} : {what}" if label else what[:1].upper() + what[1:]
        lines.append(line)
    return lines


# Loose values, as people type them ------------------------------------------
SELECTOR_TOKEN_RE = re.compile(rf"^(?:{WEEKDAYS_RE.pattern}|{MONTHS_RE.pattern}|PH|SH)$")


def _tidy_rule(text):
    """Unambiguous rewrites of a rule: 9h30 -> 9:30, 14-17 -> 14:00-17:00, en dashes."""
    text = text.replace("–", "-").replace("—", "-")
    text = re.sub(r"(?<![\d:])(\d{1,2})\s*[hH]\s*(\d{2})(?!\d)", r"\1:\2", text)
    text = re.sub(r"(?<![\d:])(\d{1,2})\s*[hH](?![\w:])", r"\1:00", text)
    text = re.sub(r"\s+à\s+", "-", text)
    bare = r"(?<![\d:])(\d{1,2})(?![\d:])"
    text = re.sub(rf"{bare}\s*-\s*{bare}", r"\1:00-\2:00", text)
    text = re.sub(rf"{bare}\s*-\s*(\d{{1,2}}:\d{{2}})", r"\1:00-\2", text)
    text = re.sub(rf"(\d{{1,2}}:\d{{2}})\s*-\s*{bare}", r"\1-\2:00", text)
    return text.strip()


def _as_comment(text):
    return '"' + text.replace('"', "'").strip() + '"'


def loosen(value):
    """Read loosely written opening hours: ``(value, kept)``.

    ``value`` is valid OSM: every rule that can be read (after unambiguous
    rewrites such as ``14-17`` -> ``14:00-17:00``) is kept; a rule that cannot is
    kept as written in an OSM comment, after its days when they can be read
    (``We 09:30-13:00-18:00`` -> ``We "09:30-13:00-18:00"``). A rule without days
    after a rule with days would override it: it is kept as a comment too.
    ``kept`` lists the parts kept as comments."""
    value = (value or "").strip()
    try:
        parse(value)
        return value, []
    except ValidationError:
        pass
    rules, kept = [], []
    has_selector = False
    for part in re.split(r";|\|\|", value):
        part = part.strip()
        if not part:
            continue
        tidy = _tidy_rule(part)
        try:
            rule = parse_rule(tidy)
        except ValidationError:
            rule = None
        selected = rule is not None and bool(rule.weekdays or rule.months or rule.weeks)
        if rule is not None and (selected or not has_selector or rule.always):
            rules.append(tidy)
            has_selector = has_selector or selected
            continue
        tokens = tidy.split()
        # The days, when the rule starts with them and says more: "We" + comment.
        selectors = tokens[:1] if len(tokens) > 1 and SELECTOR_TOKEN_RE.match(tokens[0]) else []
        rest = " ".join(tokens[1:]) if selectors else part
        rules.append(" ".join([*selectors, _as_comment(rest)]))
        has_selector = has_selector or bool(selectors)
        kept.append(part)
    return "; ".join(rules), kept
