"""FACE's one-year reviews in the demo: sent to the prescriber a year after each
handover, most of them answered, so the indicator "reviews done" has something to count."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from content.models import CampaignPage
from forms.enums import ReviewAutonomy, ReviewPurpose, ReviewUsage, ReviewYesNo
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.review import OneYearReview
from forms.kinds.handover.reviews import save_answers

CAMPAIGN = "mon-ordi-est-une-chance"
ANSWERS = [
    {
        "usage": ReviewUsage.OFTEN,
        "purposes": [ReviewPurpose.SCHOOLING, ReviewPurpose.FAMILY],
        "autonomy": ReviewAutonomy.YES,
        "further_help": ReviewYesNo.NO,
        "comment": "Les enfants font leurs devoirs dessus chaque soir.",
    },
    {
        "usage": ReviewUsage.SOMETIMES,
        "purposes": [ReviewPurpose.PROCEDURES],
        "autonomy": ReviewAutonomy.A_LITTLE,
        "further_help": ReviewYesNo.YES,
        "comment": "",
    },
    {
        "usage": ReviewUsage.OFTEN,
        "purposes": [ReviewPurpose.JOB_SEARCH, ReviewPurpose.PROCEDURES],
        "autonomy": ReviewAutonomy.YES,
        "further_help": ReviewYesNo.NO,
        "comment": "Inscrite à France Travail en ligne, sans aide.",
    },
]


def load_reviews(loader):
    campaign = CampaignPage.objects.filter(slug=CAMPAIGN).first()
    if campaign is None or OneYearReview.objects.filter(handover__campaign=campaign).exists():
        return
    sheets = HandoverSheet.objects.filter(campaign=campaign, prescription__isnull=False)
    for index, sheet in enumerate(sheets.select_related("prescription").order_by("pk")):
        sent_on = sheet.handover_date + timedelta(days=365)
        review = OneYearReview.objects.create(
            handover=sheet,
            recipient_email=sheet.prescription.prescriber_email,
            sent_at=timezone.make_aware(datetime.combine(sent_on, time(9))),
        )
        if index < len(ANSWERS):
            save_answers(review, dict(ANSWERS[index]))
    loader.log(f"One-year reviews: {sheets.count()} sent")
