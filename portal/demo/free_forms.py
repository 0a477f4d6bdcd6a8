"""Demo free forms (generic kind): a loan request and a ceremony registration, with answers."""

from django.db import transaction

from forms.engine.submission import create_record
from forms.kinds.generic.models import FormAnswer
from portal.demo.form_pages import load_form_page

# Every answer carries what its form requires (the ceremony form asks for an email
# address, the loan request for a phone, the household's size and the conditions),
# as a walk through the form would store it; tests/portal/test_demo_consistency.py
# checks it against the forms' definitions.
LOAN_ANSWERS = [
    (
        {
            "nom": "Le Goff",
            "courriel": "famille.legoff@example.org",
            "telephone": "0297000001",
            "personnes": 4,
            "revenus": "Moins de 1 000 €",
            "duree": "6 mois",
            "usages": ["Scolarité des enfants", "Démarches administratives"],
            "accompagne": "yes",
            "orienteur": "CCAS de Lorient",
            "conditions": True,
        },
        ["in_progress"],
    ),
    (
        {
            "nom": "Morvan",
            "telephone": "0297000002",
            "personnes": 2,
            "revenus": "De 1 000 à 1 500 €",
            "duree": "12 mois",
            "accompagne": "yes",
            "orienteur": "Mission locale",
            "conditions": True,
        },
        ["done"],
    ),
    (
        {
            "nom": "Bernard",
            "courriel": "bernard.lorient@example.org",
            "telephone": "0297000003",
            "personnes": 1,
            "revenus": "Plus de 2 000 €",
            "duree": "3 mois",
            "accompagne": "no",
            "conditions": True,
        },
        ["refused"],
    ),
    (
        {
            "nom": "Tanguy",
            "telephone": "0297000004",
            "personnes": 3,
            "revenus": "De 1 500 à 2 000 €",
            "duree": "6 mois",
            "accompagne": "yes",
            "orienteur": "CAF",
            "conditions": True,
        },
        [],
    ),
]
CEREMONY_ANSWERS = [
    (
        {
            "nom": "Sophie Martin",
            "organisation": "Atlantique Logistique",
            "courriel": "sophie.martin@example.org",
            "personnes": 2,
            "besoins_accessibilite": "no",
        },
        ["done"],
    ),
    (
        {
            "nom": "Karim Benali",
            "courriel": "karim.benali@example.org",
            "personnes": 4,
            "besoins_accessibilite": "yes",
            "precisions": "Un fauteuil roulant : une place au premier rang, accès de plain-pied.",
        },
        ["in_progress"],
    ),
    (
        {
            "nom": "Claire Dupuis",
            "organisation": "Centre social de Mireuil",
            "courriel": "claire.dupuis@example.org",
            "personnes": 1,
            "besoins_accessibilite": "no",
        },
        [],
    ),
]
YES_NO = {"yes": "Oui", "no": "Non", True: "Oui", False: "Non"}


def answers_of(page, values):
    """Extra answers as a walk through ``page`` stores them: by name, with label and display."""
    answers = {}
    for item in page.definition.extra_fields():
        if item.name in values and values[item.name] not in ("", None):
            value = values[item.name]
            if isinstance(value, list):
                display = ", ".join(value)
            else:
                display = YES_NO.get(value, str(value)) if isinstance(value, str | bool) else value
            answers[item.name] = {"label": item.label, "value": value, "display": str(display)}
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
                        email=values.get("courriel", ""),
                        extra_answers=answers_of(page, values),
                    )
                )
                for status in statuses:
                    answer.transition(status)
