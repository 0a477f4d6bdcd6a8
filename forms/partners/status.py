"""A prescription as its partner follows it: the stages of the prescriber's follow page
(``forms.kinds.prescription.follow``), with their dates, and nothing about the person."""

from django.urls import reverse

from forms.kinds.prescription.follow import follow_stages


def status_path(reference):
    return reverse("partners-api:prescription_status", kwargs={"reference": reference})


def status_json(prescription):
    stages, closed = follow_stages(prescription)
    return {
        "reference": prescription.reference,
        "campaign": prescription.campaign.slug if prescription.campaign_id else None,
        "status": prescription.status,
        "status_label": str(prescription.get_status_display()),
        "status_url": status_path(prescription.reference),
        "stages": [
            {
                "status": stage["status"],
                "label": str(stage["label"]),
                "state": stage["state"],
                "at": stage["at"],
            }
            for stage in stages
        ],
        "closed": {
            "status": closed["status"],
            "label": str(closed["label"]),
            "at": closed["at"],
            "reason": closed["reason"],
        }
        if closed
        else None,
    }
