"""Demo free forms (generic kind): a loan request and a ceremony registration, with answers."""

from django.db import transaction

from forms.engine.submission import create_record
from forms.kinds.generic.models import FormAnswer
from portal.demo.form_pages import load_form_page

LOAN_ANSWERS = [
    (
        {
            "nom": "Le Goff",
            "revenus": "Moins de 1 000 €",
            "duree": "6 mois",
            "orienteur": "CCAS de Lorient",
        },
        ["in_progress"],
    ),
    (
        {
            "nom": "Morvan",
            "revenus": "De 1 000 à 1 500 €",
            "duree": "12 mois",
            "orienteur": "Mission locale",
        },
        ["done"],
    ),
    (
        {"nom": "Bernard", "revenus": "Plus de 2 000 €", "duree": "3 mois", "orienteur": ""},
        ["refused"],
    ),
    ({"nom": "Tanguy", "revenus": "De 1 500 à 2 000 €", "duree": "6 mois", "orienteur": "CAF"}, []),
]
CEREMONY_ANSWERS = [
    ({"nom": "Sophie Martin", "organisation": "Atlantique Logistique", "personnes": 2}, ["done"]),
    ({"nom": "Karim Benali", "organisation": "", "personnes": 4}, ["in_progress"]),
    ({"nom": "Claire Dupuis", "organisation": "Centre social de Mireuil", "personnes": 1}, []),
]


def answers_of(page, values):
    """Extra answers as a walk through ``page`` stores them: by name, with label and display."""
    answers = {}
    for item in page.definition.extra_fields():
        if item.name in values and values[item.name] not in ("", None):
            value = values[item.name]
            answers[item.name] = {"label": item.label, "value": value, "display": str(value)}
    return answers


def load_free_forms(loader):
    for fixture, demo_answers in (
        ("loan_request_form.json", LOAN_ANSWERS),
        ("ceremony_form.json", CEREMONY_ANSWERS),
    ):
        page, created = load_form_page(loader, fixture)
        if page is None or not created or FormAnswer.objects.filter(form_page=page).exists():
            continue
        with transaction.atomic():
            for values, statuses in demo_answers:
                answer = create_record(
                    FormAnswer(
                        form_page=page,
                        campaign=page.campaign,
                        extra_answers=answers_of(page, values),
                    )
                )
                for status in statuses:
                    answer.transition(status)
