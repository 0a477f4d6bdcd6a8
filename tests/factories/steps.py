"""Form definitions (steps of form pages) for the three kinds, as editors would build them."""


def core(name, kind="pledge", **options):
    return ("core_field", {"core": f"{kind}:{name}", **options})


def pledge_steps():
    """A small but complete pledge form: a conditional step and a conditional field."""
    return [
        (
            "step",
            {
                "title": "Votre organisation",
                "intro": "Qui donne ?",
                "fields": [
                    core("organisation_name"),
                    core("organisation_kind"),
                    core("siret", label="Numéro SIRET"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Contact",
                "fields": [
                    core("contact_name"),
                    core("contact_email"),
                    core("contact_phone"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Adresse",
                "fields": [
                    core("address"),
                    core("postcode"),
                    core("city"),
                    core("pickup_address_differs", label="Enlèvement à une autre adresse ?"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Adresse d'enlèvement",
                "condition": {"field": "pickup_address_differs", "value": "yes"},
                "fields": [
                    core("pickup_address", required=True),
                    core("pickup_city", required=True),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Matériel et engagements",
                "fields": [
                    core("laptops"),
                    core("accessories"),
                    core("erasure_by"),
                    (
                        "single_choice",
                        {
                            "label": "Comment nous avez-vous connus ?",
                            "name": "connu_par",
                            "required": False,
                            "choices": ["Presse", "Autre"],
                        },
                    ),
                    (
                        "short_text",
                        {
                            "label": "Précisez",
                            "name": "connu_par_autre",
                            "required": True,
                            "condition": {"field": "connu_par", "value": "Autre"},
                        },
                    ),
                    core("terms_accepted", text="J'accepte les conditions du don."),
                ],
            },
        ),
    ]


def prescription_steps():
    def pre(name, **options):
        return core(name, kind="prescription", **options)

    return [
        (
            "step",
            {
                "title": "Prescripteur",
                "fields": [
                    pre("prescriber_kind"),
                    pre("prescriber_organisation"),
                    pre("prescriber_name"),
                    pre("prescriber_email"),
                    pre("prescriber_phone"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "La personne",
                "fields": [
                    pre("beneficiary_first_name"),
                    pre("beneficiary_last_name"),
                    pre("beneficiary_phone"),
                    pre("beneficiary_email"),
                    pre("commune"),
                    pre("postcode"),
                    pre("household_adults"),
                    pre("household_children"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Situation",
                "fields": [
                    pre("priority_criterion"),
                    pre("situation"),
                    pre("needs"),
                    pre("owned_equipment"),
                    pre("aptic_cheques"),
                ],
            },
        ),
        ("step", {"title": "Lieu", "fields": [pre("site")]}),
        (
            "step",
            {
                "title": "Engagements",
                "fields": [
                    pre("beneficiary_agreement", text="La personne est d'accord (v1)."),
                    pre("prescriber_commitment", text="Je protège ses données (v1)."),
                ],
            },
        ),
    ]


def handover_steps():
    def rem(name, **options):
        return core(name, kind="handover", **options)

    return [
        (
            "step",
            {
                "title": "Remise",
                "fields": [
                    rem("site"),
                    rem("handover_date"),
                    rem("device_code"),
                    rem("handover_kind"),
                    rem(
                        "loan_end_date",
                        required=True,
                        condition={"field": "handover_kind", "value": "loan"},
                    ),
                    rem("prescription"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Profil",
                "fields": [
                    rem("sex"),
                    rem("age_class"),
                    rem("social_status"),
                    rem("prescriber_kind"),
                    rem("diagnostic_tool"),
                    rem("training_sessions"),
                    rem("training_hours"),
                    rem("no_resale_accepted", text="Je ne revendrai pas cet ordinateur (v1)."),
                    rem("ceremony_attended"),
                ],
            },
        ),
    ]


def extra_questions_step():
    """A step of questions an editor added (extra answers): a choice, a date, a text."""
    return (
        "step",
        {
            "title": "Pour finir",
            "fields": [
                (
                    "single_choice",
                    {
                        "label": "Comment nous avez-vous connus ?",
                        "name": "canal",
                        "choices": ["Presse", "Salon des entreprises", "Bouche à oreille"],
                        "required": False,
                    },
                ),
                ("date", {"label": "Date souhaitée", "name": "date_souhaitee", "required": False}),
                ("short_text", {"label": "Remarque", "name": "remarque", "required": False}),
            ],
        },
    )


def stored_extra_answers():
    """Extra answers as a walk through ``extra_questions_step`` stored them, plus the
    answer to a question the editor has since removed."""
    return {
        "canal": {"label": "Connu par", "value": "Presse", "display": "Presse"},
        "date_souhaitee": {
            "label": "Date souhaitée",
            "value": "2026-12-01",
            "display": "01/12/2026",
        },
        "ancienne_question": {"label": "Question retirée", "value": "oui", "display": "oui"},
    }
