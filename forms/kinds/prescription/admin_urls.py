"""Admin URLs of the actions on a prescription (reminder to the person, follow link)."""

from django.urls import path
from wagtail import hooks

from forms.kinds.prescription import views as prescriber_views


@hooks.register("register_admin_urls")
def register_prescriber_loop_urls():
    return [
        path(
            "forms/prescription/<int:pk>/relancer/",
            prescriber_views.remind_person_view,
            name="forms_prescription_remind_person",
        ),
        path(
            "forms/prescription/<int:pk>/revoquer-lien/",
            prescriber_views.revoke_follow_link_view,
            name="forms_prescription_revoke_follow_link",
        ),
    ]
