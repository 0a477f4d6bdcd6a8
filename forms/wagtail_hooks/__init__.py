"""Admin wiring of the forms app, one module per record type.

Wagtail imports this package at start-up; each module registers its admin.
wagtail-modeladmin is imported only from here (see docs/STACK.md).
"""

from forms.kinds import import_from_kinds
from forms.wagtail_hooks import (  # noqa: F401
    dashboard,
    devices,
    documents,
    form_editor,
    handovers,
    loans,
    lots,
    pledges,
    prescriber_loop,
    prescriptions,
    scoping,
    site_links,
)

# The admin of kinds packaged on their own (forms/kinds/<kind>/admin.py).
import_from_kinds("admin")
