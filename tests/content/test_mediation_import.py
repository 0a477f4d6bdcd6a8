"""CSV import/export of mediation sites: admin views, management commands, round trip."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from content import importexport, standards
from content.models import MediationSite
from portal.models import ImportJob
from tests.factories import MediationSiteFactory
from tests.factories.content import coordinated_campaign

HEADER = standards.field_names()


def row(**values):
    base = {
        "id": "lieu-1",
        "pivot": "43493312300029",
        "nom": "Médiathèque Éole",
        "commune": "Saint-Paul-lès-Dax",
        "code_postal": "40990",
        "code_insee": "40279",
        "adresse": "3 place de la Mairie",
        "latitude": "43.7263",
        "longitude": "-1.0517",
        "typologie": "BIB|MUNI",
        "telephone": "+33558000000",
        "horaires": "Mo-Fr 09:00-12:00",
        "date_maj": "2026-04-02",
        "services": "Aide aux démarches administratives|Accès internet et matériel informatique",
        "frais_a_charge": "Gratuit",
        "modalites_acces": "Se présenter|Envoyer un mail avec une fiche de prescription",
    }
    base.update(values)
    return base


def make_csv(rows, bom=False, newline="\n", delimiter=","):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator=newline, delimiter=delimiter)
    writer.writeheader()
    for item in rows:
        writer.writerow(item)
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.fixture
def csv_file(tmp_path):
    def write(rows, **kwargs):
        path = tmp_path / "2026-04-02_43493312300029_lieux-de-mediation-numerique_Landes.csv"
        path.write_bytes(make_csv(rows, **kwargs))
        return path

    return write


def test_bom_crlf_accents_and_lists(db):
    data = make_csv(
        [row(), row(id="lieu-2", nom="Café  ", services=" Aide aux démarches administratives | ")],
        bom=True,
        newline="\r\n",
    )
    report = importexport.import_sites(importexport.read_csv(data), dry_run=False)
    assert (report.created, report.updated, report.rejected) == (2, 0, 0)
    site = MediationSite.objects.get(identifier="lieu-1")
    assert site.commune == "Saint-Paul-lès-Dax"
    assert site.values("typologie") == ["BIB", "MUNI"]
    assert site.latitude == pytest.approx(43.7263)
    assert site.hands_over_computers and site.accepts_prescriptions and site.department == "40"
    other = MediationSite.objects.get(identifier="lieu-2")
    assert other.nom == "Café" and other.services == "Aide aux démarches administratives"


def test_semicolon_csv_and_decomposed_accents(db):
    decomposed = "Saint-Paul-le\u0300s-Dax"
    data = make_csv(
        [row(commune=decomposed, publics_specifiquement_adresses="E\u0301tudiants")], delimiter=";"
    )
    report = importexport.import_sites(importexport.read_csv(data), dry_run=False)
    assert report.rejected == 0, report.rejected_rows
    assert MediationSite.objects.get().publics_specifiquement_adresses == "Étudiants"


def test_invalid_rows_are_reported_and_never_stop_valid_ones(db):
    MediationSiteFactory(identifier="lieu-1", nom="Ancien nom")
    data = make_csv(
        [
            row(nom="Nouveau nom"),
            row(id="lieu-2", code_postal="4000"),
            row(id="lieu-3"),
            row(id="lieu-4", services="Cuisine", latitude="nord"),
            row(id="lieu-3", nom="Doublon"),
            row(id="", nom=""),
        ]
    )
    report = importexport.import_sites(importexport.read_csv(data), dry_run=False)
    assert (report.created, report.updated, report.rejected) == (1, 1, 4)
    rejected = {r.line: {c: m for c, _v, m in r.errors} for r in report.rejected_rows}
    assert set(rejected) == {3, 5, 6, 7}
    assert "code_postal" in rejected[3]
    # An unknown service is a warning (the row is kept); only the coordinates refuse it.
    assert set(rejected[5]) == {"latitude"}
    warned = {r.line: {c for c, _v, _m in r.warnings} for r in report.rows}
    assert "services" in warned[5]
    assert "id" in rejected[6]
    assert {"id", "nom"} <= set(rejected[7])
    assert MediationSite.objects.get(identifier="lieu-1").nom == "Nouveau nom"
    assert set(MediationSite.objects.values_list("identifier", flat=True)) == {"lieu-1", "lieu-3"}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"id,nom\nx,y\n", "commune"),
        ("\ufeffid,nom".encode("utf-16"), "CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "CSV"),
        (b"", ""),
    ],
)
def test_unreadable_files_get_a_clear_message(db, data, fragment):
    with pytest.raises(importexport.ImportFileError) as error:
        importexport.read_csv(data)
    assert fragment in str(error.value)


def test_admin_import_preview_then_confirm(client, coordination_user):
    MediationSiteFactory(identifier="lieu-1", nom="Ancien nom")
    coordinated_campaign(coordination_user)  # a campaign across France: may change every free site
    client.force_login(coordination_user)
    index = client.get(reverse("content_mediationsite:index"))
    assert index.status_code == 200
    assert reverse("content_mediationsite:import") in index.text
    upload = io.BytesIO(
        make_csv([row(nom="Nouveau"), row(id="lieu-2"), row(id="lieu-3", code_postal="4000")])
    )
    upload.name = "lieux.csv"
    uploaded = client.post(reverse("content_mediationsite:import"), {"import_file": upload})
    job = ImportJob.objects.get()
    # the upload returns at once, to the job's page
    assert uploaded.status_code == 302
    assert uploaded.url == reverse("content_mediationsite:import_job", args=[job.pk])
    preview = client.get(uploaded.url)
    assert preview.status_code == 200
    text = preview.text
    assert "lieu-3" in text and "code_postal" in text and "40000" in text
    assert MediationSite.objects.get(identifier="lieu-1").nom == "Ancien nom"  # nothing saved yet
    assert not MediationSite.objects.filter(identifier="lieu-2").exists()
    report = preview.context["report"]
    assert (report.created, report.updated, report.rejected) == (1, 1, 1)
    assert report.rejected_rows[0].line == 4
    confirm_url = reverse("content_mediationsite:import_confirm", args=[job.pk])
    confirm = client.post(confirm_url, follow=True)
    assert confirm.status_code == 200
    assert MediationSite.objects.get(identifier="lieu-1").nom == "Nouveau"
    assert MediationSite.objects.filter(identifier="lieu-2").exists()
    assert not MediationSite.objects.filter(identifier="lieu-3").exists()
    messages = [str(m) for m in confirm.context["messages"]]
    assert any("1" in m for m in messages) and len(messages) == 2
    # A confirmation cannot be replayed: a second click imports nothing more.
    MediationSite.objects.filter(identifier="lieu-2").delete()
    again = client.post(confirm_url)
    assert again.status_code == 302
    assert again.url == reverse("content_mediationsite:import_job", args=[job.pk])
    assert not MediationSite.objects.filter(identifier="lieu-2").exists()


def test_admin_import_rejects_a_bad_file_without_error_500(client, coordination_user):
    client.force_login(coordination_user)
    upload = io.BytesIO("nom;commune\nÉcole;Dax\n".encode("cp1252"))
    upload.name = "lieux.csv"
    response = client.post(reverse("content_mediationsite:import"), {"import_file": upload})
    assert response.status_code == 400
    assert "code_postal, adresse" in response.text  # Windows-1252 is read; columns are missing
    assert client.post(reverse("content_mediationsite:import"), {}).status_code == 400


def test_communication_cannot_see_or_import(client, communication_user):
    client.force_login(communication_user)
    assert client.get(reverse("content_mediationsite:index")).status_code in {302, 403}
    assert client.get(reverse("content_mediationsite:import")).status_code in {302, 403}
    admin = client.get(reverse("wagtailadmin_home"))
    assert reverse("content_mediationsite:index") not in admin.text


def test_cli_import_counts_and_exit_codes(db, csv_file, capsys):
    path = csv_file([row(), row(id="lieu-2")])
    call_command("import_mediation_sites", str(path), "--dry-run")
    assert "created: 2, updated: 0, rejected: 0" in capsys.readouterr().out
    assert MediationSite.objects.count() == 0
    call_command("import_mediation_sites", str(path))
    assert MediationSite.objects.count() == 2
    bad = csv_file([row(nom="Renommé"), row(id="lieu-9", code_postal="4000")])
    with pytest.raises(CommandError) as error:
        call_command("import_mediation_sites", str(bad))
    assert error.value.returncode == 1
    captured = capsys.readouterr()
    assert "created: 0, updated: 1, rejected: 1" in captured.out
    assert "line 3 (id lieu-9) [code_postal]" in captured.err
    assert MediationSite.objects.get(identifier="lieu-1").nom == "Renommé"
    with pytest.raises(CommandError):
        call_command("import_mediation_sites", "/nonexistent.csv")


def test_round_trip_import_export_import(db, tmp_path, capsys):
    MediationSiteFactory.create_batch(3)
    MediationSiteFactory(
        nom='Le "Lieu", à Dax',
        commune="Dax",
        code_postal="40100",
        code_insee="",
        latitude=None,
        longitude=None,
        horaires="",
        presentation_detail="Ligne 1\nLigne 2",
        services="",
        typologie="TIERS_LIEUX|ASSO",
        courriels="a@example.org|b@example.org",
    )
    before = list(
        MediationSite.objects.order_by("identifier").values(
            *[standards.model_field_name(c) for c in standards.field_names()]
        )
    )
    output = tmp_path / "export.csv"
    call_command("export_mediation_sites", "--output", str(output))
    text = output.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(standards.field_names())
    MediationSite.objects.all().delete()
    call_command("import_mediation_sites", str(output))
    after = list(
        MediationSite.objects.order_by("identifier").values(
            *[standards.model_field_name(c) for c in standards.field_names()]
        )
    )
    assert after == before
    # Importing the same export again updates and changes nothing.
    call_command("import_mediation_sites", str(output))
    assert "updated: 4" in capsys.readouterr().out
    xlsx = tmp_path / "export.xlsx"
    call_command("export_mediation_sites", "--output", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert [cell.value for cell in sheet[1]] == standards.field_names()
    assert sheet.max_row == 5


def test_export_escapes_formulae(db):
    MediationSiteFactory(nom="=HYPERLINK(1)")
    assert ",'=HYPERLINK(1)," in importexport.export_csv()  # shown as typed, never run


def test_admin_export_respects_filters(client, coordination_user):
    MediationSiteFactory(identifier="a", code_postal="40000", nom="Landais")
    MediationSiteFactory(identifier="b", code_postal="86000", commune="Poitiers", nom="Poitevin")
    coordinated_campaign(coordination_user)  # a campaign across France: sees every free site
    client.force_login(coordination_user)
    url = reverse("content_mediationsite:index")
    response = client.get(url, {"department": "86", "standard_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [r["id"] for r in rows] == ["b"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(url, {"q": "Landais", "standard_export": "csv"}).content.decode()
            )
        )
    )
    assert [r["id"] for r in rows] == ["a"]
    xlsx = client.get(url, {"standard_export": "xlsx"})
    assert xlsx["Content-Type"] == importexport.XLSX_CONTENT_TYPE
    listing = client.get(url, {"department": "40"})
    assert "Landais" in listing.text and "Poitevin" not in listing.text
