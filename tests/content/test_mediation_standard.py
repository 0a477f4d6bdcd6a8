"""The national standard v1.0.2: schema mapping and every constraint, accepted and rejected."""

import json

import pytest
from django.core.exceptions import ValidationError

from content import importexport, standards
from content.models import MediationSite
from content.opening_hours import describe, parse
from tests.factories import MediationSiteFactory


def test_schema_is_the_published_v1_0_2():
    schema = standards.schema()
    assert schema["version"] == "v1.0.2"
    assert len(standards.field_names()) == 32
    assert standards.required_field_names() == [
        "id",
        "pivot",
        "nom",
        "commune",
        "code_postal",
        "adresse",
        "date_maj",
    ]


def test_every_schema_field_maps_to_a_model_field():
    model_fields = {f.name: f for f in MediationSite._meta.get_fields()}
    for column in standards.fields():
        name = standards.model_field_name(column["name"])
        assert name in model_fields, column["name"]
        model_field = model_fields[name]
        required = column.get("constraints", {}).get("required", False)
        if column["type"] == "string" and name != "identifier":
            assert model_field.blank is not required, column["name"]
        if "maxLength" in column.get("constraints", {}):
            assert model_field.max_length == column["constraints"]["maxLength"]


def test_export_header_is_the_schema_order():
    header = importexport.export_csv(MediationSite.objects.none()).splitlines()[0]
    assert header.split(",") == [
        f["name"] for f in json.loads(standards.SCHEMA_FILE.read_text(encoding="utf-8"))["fields"]
    ]


def test_allowed_values_come_from_the_schema():
    assert standards.allowed_values("frais_a_charge") == (
        "Gratuit",
        "Gratuit sous condition",
        "Payant",
    )
    assert "Langues étrangères (anglais)" in standards.allowed_values("prise_en_charge_specifique")
    assert standards.PRESCRIPTION_ACCESS in standards.allowed_values("modalites_acces")
    for value in standards.COMPUTER_SERVICES:
        assert value in standards.allowed_values("services")
    assert "CCAS" in standards.allowed_values("typologie")
    assert standards.allowed_values("nom") is None
    assert set(standards.multi_value_field_names()) == {
        "typologie",
        "itinerance",
        "services",
        "publics_specifiquement_adresses",
        "prise_en_charge_specifique",
        "frais_a_charge",
        "dispositif_programmes_nationaux",
        "formations_labels",
        "modalites_acces",
        "modalites_accompagnement",
    }


def errors_for(db, **values):
    site = MediationSiteFactory.build(**values)
    try:
        site.full_clean(validate_unique=False)
    except ValidationError as error:
        return error.message_dict
    return {}


VALID = [
    ("pivot", "43493312300029"),
    ("pivot", "434933123"),
    ("pivot", "W123456789"),
    ("code_postal", "40000"),
    ("code_insee", "40192"),
    ("code_insee", "2A004"),
    ("code_insee", ""),
    ("telephone", "+33558000000"),
    ("telephone", "+262262000000"),
    ("telephone", ""),
    ("latitude", 90.0),
    ("longitude", -180.0),
    ("latitude", None),
    ("presentation_resume", "é" * 280),
    ("typologie", "TIERS_LIEUX|ASSO"),
    ("itinerance", "Itinérant|Fixe"),
    ("services", "Accès internet et matériel informatique"),
    ("publics_specifiquement_adresses", "Jeunes|Étudiants|Familles et/ou enfants"),
    ("prise_en_charge_specifique", "Surdité|Langues étrangères (autres)|Déficience visuelle"),
    ("frais_a_charge", "Gratuit sous condition|Payant"),
    ("dispositif_programmes_nationaux", "Aidants Connect|Relais numérique (Emmaüs Connect)"),
    ("formations_labels", "Formé à « DUPLEX » (illettrisme)|ORDI 3.0"),
    ("modalites_acces", "Se présenter|Envoyer un mail avec une fiche de prescription"),
    ("modalites_accompagnement", "En autonomie|À distance"),
    ("courriels", "a@example.org|b@example.org"),
    ("site_web", "https://example.org/|https://m.facebook.com/x/"),
    ("fiche_acces_libre", "https://acceslibre.beta.gouv.fr/app/x/"),
    ("prise_rdv", "https://www.rdv-solidarites.fr/"),
    ("horaires", "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"),
    ("horaires", "24/7"),
    ("horaires", "Mo,We 14:00-18:00; PH off"),
    ("horaires", 'Jan-Jun Tu-Sa 10:00-12:00; Su[1] 10:00-12:00 "premier dimanche"'),
    ("horaires", "Mo-Fr 09:00-12:00, 14:00-17:00; week 01-26 Sa 09:00-12:00; SH closed"),
]

INVALID = [
    ("pivot", "1234", "W123456789"),
    ("pivot", "434 933 123 00029", "W123456789"),
    ("pivot", "", "blank"),
    ("code_postal", "4000", "40000"),
    ("code_postal", "4000A", "40000"),
    ("code_insee", "20192", "40192"),
    ("code_insee", "401", "40192"),
    ("telephone", "05 58 00 00 00", "+33558000000"),
    ("telephone", "+3305580000000000", "+33558000000"),
    ("telephone", "+4412345678", "+33558000000"),
    ("latitude", 91.0, "91.0"),
    ("longitude", 181.0, "181.0"),
    ("presentation_resume", "x" * 281, "280"),
    ("typologie", "PAS_UN_TYPE", "PAS_UN_TYPE"),
    ("itinerance", "Mobile", "Mobile"),
    ("services", "Aide aux démarches administratives|Cuisine", "Cuisine"),
    ("publics_specifiquement_adresses", "Enfants", "Enfants"),
    ("prise_en_charge_specifique", "Surdite", "Surdite"),
    ("frais_a_charge", "Gratuit;Payant", "Gratuit;Payant"),
    ("dispositif_programmes_nationaux", "France services", "France services"),
    ("formations_labels", "Label inconnu", "Label inconnu"),
    ("modalites_acces", "Venir", "Venir"),
    ("modalites_accompagnement", "En groupe", "En groupe"),
    ("courriels", "contact@example.org|pas-un-courriel", "pas-un-courriel"),
    ("site_web", "www.example.org", "www.example.org"),
    ("fiche_acces_libre", "acceslibre", "acceslibre"),
    ("horaires", "du lundi au vendredi", "du"),
    ("horaires", "Mo-Fr 9h-12h", "9h-12h"),
    ("horaires", "Mo-Fr 09:00-25:00", "25:00"),
    ("nom", "", "blank"),
    ("commune", "", "blank"),
    ("adresse", "", "blank"),
    ("identifier", "", "blank"),
    ("date_maj", None, "null"),
]


@pytest.mark.parametrize(("field_name", "value"), VALID)
def test_standard_constraint_accepts(db, field_name, value):
    assert errors_for(db, **{field_name: value}) == {}


@pytest.mark.parametrize(("field_name", "value", "hint"), INVALID)
def test_standard_constraint_rejects_with_a_clear_message(db, field_name, value, hint):
    errors = errors_for(db, **{field_name: value})
    assert list(errors) == [field_name]
    message = " ".join(errors[field_name])
    if hint not in {"blank", "null"}:
        # The message names the offending value or shows a valid example.
        assert hint in message, message


def test_derived_fields_on_save(db):
    site = MediationSiteFactory(
        services="Accès internet et matériel informatique | Loisirs et créations numériques|",
        modalites_acces="Téléphoner",
        code_postal="86000",
    )
    site.refresh_from_db()
    assert (
        site.services == "Accès internet et matériel informatique|Loisirs et créations numériques"
    )
    assert site.hands_over_computers is True
    assert site.accepts_prescriptions is False
    assert site.department == "86"
    assert site.get_prescription_url() is None
    assert standards.department_code("20000", "2A004") == "2A"
    assert standards.department_code("97400") == "974"


def test_opening_hours_are_shown_in_readable_words():
    lines = describe("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off")
    assert len(lines) == 3
    assert "9 h" in lines[0] and "18 h 30" in lines[0]
    assert "8 h 30" in lines[1]
    assert describe("24/7") and parse("") == []
