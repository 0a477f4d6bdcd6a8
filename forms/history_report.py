"""Wagtail's "Site history" report, scoped like every other view of the records.

Wagtail shows the log entries of every object of a model the user may view;
staff of a mediation site may view prescriptions and coordinators every record
type, so they would read the references of other sites' or other campaigns'
records there. For everyone but superusers the report leaves out the
programme's records, whose history each record's own (scoped) history page shows.
"""

from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from forms.access import is_programme_wide


class ScopedSiteHistoryView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry and not is_programme_wide(self.request.user):
            queryset = queryset.exclude(content_type__app_label="forms")
        return queryset
