"""The one-year review's questionnaire, answered by the prescriber through a private link."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms.enums import ReviewAutonomy, ReviewPurpose, ReviewUsage, ReviewYesNo
from forms.kinds.handover.reviews import COMMENT_MAX_LENGTH, QUESTION_LABELS
from portal.sanitise import strip_control_characters


class OneYearReviewForm(forms.Form):
    usage = forms.ChoiceField(
        label=QUESTION_LABELS["usage"], choices=ReviewUsage.choices, widget=forms.RadioSelect
    )
    purposes = forms.MultipleChoiceField(
        label=QUESTION_LABELS["purposes"],
        choices=ReviewPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every use you know of."),
    )
    autonomy = forms.ChoiceField(
        label=QUESTION_LABELS["autonomy"], choices=ReviewAutonomy.choices, widget=forms.RadioSelect
    )
    further_help = forms.ChoiceField(
        label=QUESTION_LABELS["further_help"],
        choices=ReviewYesNo.choices,
        widget=forms.RadioSelect,
        help_text=_("Help with the computer or with digital procedures, from anyone."),
    )
    comment = forms.CharField(
        label=QUESTION_LABELS["comment"],
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = gettext(
            "Optional, %(max)s characters at most. Please do not write the person's name."
        ) % {"max": COMMENT_MAX_LENGTH}

    def clean_comment(self):
        return strip_control_characters(self.cleaned_data["comment"]).strip()

    def answers(self):
        """The answers as stored: codes, never labels."""
        data = self.cleaned_data
        return {
            "usage": data["usage"],
            "purposes": [value for value in ReviewPurpose.values if value in data["purposes"]],
            "autonomy": data["autonomy"],
            "further_help": data["further_help"],
            "comment": data["comment"],
        }
