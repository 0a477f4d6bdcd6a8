"""Admin wiring of the forms app.

Wagtail imports this package at start-up; each module it loads registers its
admin: the form editor, the site links and the registry's scoping here, each kind's ``admin`` module
(forms/kinds/<kind>/admin.py) and the logistics' (forms/logistics/admin/).
wagtail-modeladmin is imported only from admin modules (see docs/STACK.md).
"""

from forms.engine.kinds import import_from_kinds
from forms.logistics.admin import (  # noqa: F401
    dashboard,
    devices,
    documents,
    identity,
    indicators,
    loans,
    lots,
)
from forms.wagtail_hooks import form_editor, scoping, site_links  # noqa: F401

import_from_kinds("admin")
# The partners' keys (a layer above the kinds).
from forms.partners import admin as partners_admin  # noqa: E402, F401
