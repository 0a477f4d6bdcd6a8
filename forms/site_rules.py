"""What a mediation site must be to receive something new from the programme.

A site receives computers (a lot, its delivery, a transfer agreement) only when it
meets the programme's prerequisites and has signed its agreement; a site that
left the programme (or is suspended) keeps its history, whose records stay
visible and editable, but receives nothing new: no lot, no transfer agreement,
no prescription, no device. Each function returns the French message saying why
not, or None; the models, services and views that create those things call them.
"""

from django.utils.translation import gettext as _


def left_programme_refusal(site):
    """Why ``site`` may not receive anything new, or None."""
    if site is None or not site.has_left_programme:
        return None
    return _(
        "The site “%(site)s” has left the programme or is suspended (%(status)s): it keeps "
        "its history but receives nothing new."
    ) % {"site": site.nom, "status": site.get_programme_status_display()}


def supply_refusal(site, what):
    """Why ``site`` may not receive ``what`` (a lot, a transfer agreement), or None:
    the message names each prerequisite it lacks."""
    if site is None:
        return None
    left = left_programme_refusal(site)
    if left:
        return left
    missing = site.missing_for_supply()
    if not missing:
        return None
    return _("The site “%(site)s” cannot receive %(what)s: it lacks %(missing)s.") % {
        "site": site.nom,
        "what": what,
        "missing": ", ".join(str(label) for label in missing),
    }


def lot_refusal(site):
    return supply_refusal(site, _("a lot of computers"))


def transfer_agreement_refusal(site):
    return supply_refusal(site, _("a transfer agreement"))
