"""The admin login form, with every label in the interface language.

Wagtail's LoginForm redeclares ``password`` without a label, so Django derives
one from the field name ("Password") that no catalogue translates.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"placeholder": _("Enter password"), "autocomplete": "current-password"}
        ),
    )
