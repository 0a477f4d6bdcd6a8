"""Admin wiring of the forms app, one module per record type.

Wagtail imports this package at start-up; each module registers its admin.
wagtail-modeladmin is imported only from here (see DESIGN.md, stack facts).
"""

from forms.wagtail_hooks import (  # noqa: F401
    answers,
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
    site_links,
)
