"""Every field type editors can place: what it accepts and what it refuses, in French."""

import datetime

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.engine.definition import Condition, FieldDef, StepDef
from forms.engine.fields import build_form_field
from forms.engine.kinds import get_kind
from forms.engine.steps import make_step_form

PLEDGE = get_kind("pledge")


def field(type_, **options):
    return build_form_field(
        FieldDef(block_id="", type=type_, name="x", label="X", required=True, **options), PLEDGE
    )


def check(form_field, value):
    try:
        return True, form_field.clean(value)
    except forms.ValidationError as error:
        return False, error.messages


@pytest.mark.parametrize(
    ("type_", "options", "valid", "invalid"),
    [
        ("short_text", {}, [("Bonjour", "Bonjour")], ["", "x" * 256]),
        ("long_text", {}, [("Ligne 1\nLigne 2", "Ligne 1\nLigne 2")], ["", "x" * 5001]),
        ("email", {}, [("a@example.org", "a@example.org")], ["pas un email", "a@"]),
        (
            "phone",
            {},
            [("05 58 12 34 56", "0558123456"), ("+33 6 12 34 56 78", "+33612345678")],
            ["12345", "0012345678", "06 12 34 56"],
        ),
        ("number", {"min_value": 1, "max_value": 10}, [("3", 3)], ["0", "11", "trois", "2.5"]),
        ("date", {}, [("2026-11-21", datetime.date(2026, 11, 21))], ["21/13/2026", "hier"]),
        ("single_choice", {"choices": ("Presse", "Autre")}, [("Presse", "Presse")], ["Radio", ""]),
        ("multiple_choice", {"choices": ("A", "B")}, [(["A", "B"], ["A", "B"])], [["C"], []]),
        ("yes_no", {}, [("yes", True), ("no", False)], ["peut-être", ""]),
        ("consent", {"consent_text": "J'accepte"}, [("on", True)], ["", None]),
        (
            "postcode",
            {},
            [("40000", "40000"), ("97400", "97400")],
            ["4000", "ABCDE", "00100", "99000"],
        ),
        (
            "siret",
            {},
            [("732 829 320 00074", "73282932000074"), ("35600000000048", "35600000000048")],
            ["73282932000075", "1234", "abcdefghijklmn"],
        ),
    ],
)
def test_field_type_validation(type_, options, valid, invalid):
    form_field = field(type_, **options)
    for value, expected in valid:
        assert check(form_field, value) == (True, expected)
    for value in invalid:
        ok, messages = check(form_field, value)
        assert not ok, f"{type_} accepted {value!r}"
        assert messages


def test_error_messages_are_french():
    assert check(field("siret"), "73282932000075")[1] == [
        "Ce numéro SIRET n'est pas valide (clé de contrôle). Merci de le vérifier."
    ]
    assert check(field("postcode"), "4000")[1] == [
        "Saisissez un code postal de 5 chiffres, par exemple 40000."
    ]
    assert check(field("short_text"), "")[1] == ["Champ requis."]


@pytest.mark.django_db
def test_mediation_site_chooser_lists_published_sites_only():
    from tests.factories import MediationSiteFactory

    shown = MediationSiteFactory(nom="Médiathèque de Dax", is_published=True)
    hidden = MediationSiteFactory(nom="Lieu caché", is_published=False)
    form_field = field("mediation_site")
    assert check(form_field, str(shown.pk)) == (True, shown)
    assert check(form_field, str(hidden.pk))[0] is False
    assert check(form_field, "9999999")[0] is False


def test_core_fields_take_their_type_from_the_record():
    def core(name, **options):
        return build_form_field(
            FieldDef(block_id="", type="core_field", name=name, label=name, core=True, **options),
            PLEDGE,
        )

    assert isinstance(core("organisation_kind").widget, forms.RadioSelect)
    assert core("organisation_name").required is True
    assert core("sector").required is False
    assert (
        core("sector", required=True).required is True
    )  # the editor may require an optional field
    assert check(core("siret"), "73282932000075")[0] is False
    assert check(core("laptops"), "-1")[0] is False
    assert check(core("accessories"), ["chargers"]) == (True, ["chargers"])
    assert check(core("terms_accepted", consent_text="Je donne"), "")[0] is False


STEP = StepDef(
    index=1,
    title="Tout",
    intro="",
    condition=None,
    fields=[
        FieldDef(block_id="1", type="short_text", name="nom", label="Nom", required=True),
        FieldDef(
            block_id="2", type="number", name="nombre", label="Nombre", min_value=0, max_value=9
        ),
        FieldDef(block_id="3", type="yes_no", name="ok", label="OK", required=True),
        FieldDef(
            block_id="4", type="multiple_choice", name="choix", label="Choix", choices=("A", "B")
        ),
        FieldDef(block_id="5", type="date", name="jour", label="Jour"),
        FieldDef(block_id="6", type="siret", name="siret_x", label="SIRET"),
        FieldDef(
            block_id="7",
            type="short_text",
            name="si_ok",
            label="Si OK",
            required=True,
            condition=Condition("ok", "yes"),
        ),
    ],
)
StepForm = make_step_form(STEP, PLEDGE)
KEYS = [
    "1-nom",
    "1-nombre",
    "1-ok",
    "1-choix",
    "1-jour",
    "1-siret_x",
    "1-si_ok",
    "1-site_web_entreprise",
    "autre",
]
text = st.text(max_size=300)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(KEYS), st.one_of(text, st.lists(text, max_size=4)), max_size=len(KEYS)
    )
)
def test_step_forms_never_crash_on_arbitrary_input(data):
    from django.utils.datastructures import MultiValueDict

    posted = MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in data.items()}
    )
    form = StepForm(data=posted, prefix="1")
    if form.is_valid():
        answers = form.answers()
        assert set(answers) <= {"nom", "nombre", "ok", "choix", "jour", "siret_x", "si_ok"}
        if answers.get("ok") is not True:
            assert "si_ok" not in answers
    else:
        assert form.errors
