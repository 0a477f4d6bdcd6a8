"""Wagtail's "Site history" report, scoped like every other view of the records.

Wagtail shows the log entries of every object of a model the user may view;
staff of a mediation site may view prescriptions and coordinators every record
type, so they would read the references of other sites' or other campaigns'
records there. The report keeps, of the forms app's entries, those of the
records the person may see (forms.access.scope_log_entries).
"""

from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from forms.access import scope_log_entries


class ScopedSiteHistoryView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            queryset = scope_log_entries(self.request.user, queryset)
        return queryset
