"""The handover sheet's edit-view panel showing its one-year review, read-only."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from forms.kinds.handover.review import OneYearReview
from forms.kinds.handover.reviews import displayed_answers, recipient_for, review_date


class OneYearReviewPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("One-year review"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/one_year_review_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            handover = self.instance
            due_on = review_date(handover) if handover.handover_date else None
            review = OneYearReview.objects.filter(handover=handover).first()
            context.update(
                review=review,
                answers=displayed_answers(review) if review and review.answered_at else [],
                due_on=due_on,
                due_later=bool(due_on and due_on > timezone.localdate()),
                cancelled=handover.status == handover.Status.CANCELLED,
                no_recipient=review is None and not recipient_for(handover),
            )
            return context
