"""Admin wiring of devices, lots, loans, documents and the site dashboard (loaded by forms.wagtail_hooks)."""
