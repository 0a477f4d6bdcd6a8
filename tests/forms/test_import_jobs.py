"""The admin's device import as a background job: a coordinator's file with a bad
row, the preview's choices (the valid rows only, or nothing), the file of rows to
fix, the result page; scoped to the coordinator's campaigns."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from forms.logistics import device_import
from forms.logistics.models.device import Device
from portal.enums import ImportKind, ImportStatus
from portal.models import ImportJob
from portal.roles import COORDINATION
from tests.factories import DeviceFactory, OrganisationFactory, UserFactory, coordinated_campaign

pytestmark = pytest.mark.django_db

# As a refurbisher's spreadsheet writes it: semicolons, Windows-1252, French words.
DEVICES_CSV = (
    "inventory_code;type;brand;model;serial_number;status\n"
    "EQ-1;laptop;Dell;Latitude 5490;S1;ready\n"
    "EQ-2;laptop;Lenovo;ThinkPad;S2;pas un statut\n"
    "EQ-3;desktop;HP;ProDesk é;S3;ready\n"
)


def upload(client, data, name="reconditionnement.csv"):
    return client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def url(job, name=""):
    return f"/admin/forms/device/import/{job.pk}/{name + '/' if name else ''}"


def test_a_bad_row_then_import_nothing_or_the_valid_rows_only(client, coordination_user):
    campaign = coordinated_campaign(coordination_user)
    client.force_login(coordination_user)
    response = upload(client, DEVICES_CSV.encode("cp1252"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == url(job)
    preview = client.get(response.url)
    html = preview.text
    report = preview.context["report"]
    assert (report.created, report.rejected) == (2, 1)
    errors_section = html.split('id="import-errors"')[1].split('id="import-warnings"')[0]
    assert "EQ-2" in errors_section and "pas un statut" in errors_section
    assert 'name="partial" value="1"' in html and 'name="action" value="cancel"' in html
    assert Device.objects.count() == 0

    # the rows to fix, back in the file's own delimiter with their reasons
    fix = client.get(url(job, "fix"))
    text = fix.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == [*DEVICES_CSV.split("\n", 1)[0].split(";"), "motifs"]
    assert [row[0] for row in rows[1:]] == ["EQ-2"]
    assert "status" in rows[1][-1] and "pas un statut" in rows[1][-1]

    # import nothing: the job ends, nothing is saved, the rows to fix stay downloadable
    done = client.post(url(job, "confirm"), {"action": "cancel"}, follow=True)
    assert done.templates[0].name == "forms/admin/device_import_result.html"
    assert "Rien n’a été importé" in done.text and Device.objects.count() == 0
    assert client.get(url(job, "fix")).status_code == 200
    job.refresh_from_db()
    assert job.file_name == "" and job.phase == "import"
    # and confirming afterwards starts nothing
    client.post(url(job, "confirm"), {"partial": "1"})
    assert Device.objects.count() == 0

    # the same file again, and the valid rows only
    response = upload(client, DEVICES_CSV.encode("cp1252"))
    job = ImportJob.objects.latest("pk")
    done = client.post(url(job, "confirm"), {"partial": "1"}, follow=True)
    result = done.context["report"]
    assert (result.created, result.rejected, result.applied) == (2, 1, True)
    assert "2 équipement(s) créé(s)" in done.text
    assert sorted(Device.objects.values_list("inventory_code", flat=True)) == ["EQ-1", "EQ-3"]
    assert set(Device.objects.values_list("campaign", flat=True)) == {campaign.pk}
    assert Device.objects.get(inventory_code="EQ-3").model_name == "ProDesk é"
    fix = client.get(url(job, "fix"))
    assert "EQ-2" in fix.getvalue().decode("utf-8")


def test_all_or_nothing_when_confirmed_without_choosing_the_valid_rows(client, coordination_user):
    coordinated_campaign(coordination_user)
    client.force_login(coordination_user)
    upload(client, DEVICES_CSV.encode())
    job = ImportJob.objects.get()
    done = client.post(url(job, "confirm"), follow=True)
    assert done.context["report"].applied is False and Device.objects.count() == 0
    assert "tout ou rien" in done.text


def test_a_coordinators_job_stays_in_their_campaigns_and_is_theirs(
    client, coordination_user, superuser
):
    coordinated_campaign(coordination_user, slug="campagne-a")
    other_campaign = coordinated_campaign(slug="campagne-b")
    DeviceFactory(inventory_code="EQ-B", campaign=other_campaign, brand="Dell")
    client.force_login(coordination_user)
    upload(client, b"inventory_code,type,brand,status\nEQ-B,laptop,Acer,ready\n")
    job = ImportJob.objects.get()
    assert job.report["rejected"] == 1  # run as the job's owner: another campaign's device
    other = UserFactory(username="coord-b", groups=[COORDINATION])
    client.force_login(other)
    assert client.get(url(job)).status_code == 404
    assert client.post(url(job, "confirm"), {"partial": "1"}).status_code == 404
    assert client.get(url(job, "status")).status_code == 404
    client.force_login(superuser)
    assert client.get(url(job, "status")).json()["status"] == "done"
    assert Device.objects.get(inventory_code="EQ-B").brand == "Dell"


def test_an_xlsx_upload_gives_its_rows_to_fix_as_csv(client, coordination_user):
    openpyxl = pytest.importorskip("openpyxl")
    coordinated_campaign(coordination_user)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in DEVICES_CSV.strip().split("\n"):
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(coordination_user)
    upload(client, buffer.getvalue(), name="lot.xlsx")
    job = ImportJob.objects.get()
    assert job.file_name.endswith(".xlsx")
    fix = client.get(url(job, "fix"))
    assert fix["Content-Disposition"].endswith('lot_lignes-a-corriger.csv"')
    rows = list(csv.reader(io.StringIO(fix.getvalue().decode("utf-8")[1:]), delimiter=";"))
    assert rows[1][:2] == ["EQ-2", "laptop"] and rows[1][-1]


def test_the_purge_command_forgets_old_imports(client, coordination_user, capsys):
    coordinated_campaign(coordination_user)
    client.force_login(coordination_user)
    upload(client, DEVICES_CSV.encode())
    ImportJob.objects.update(created_at="2020-01-01T00:00:00Z")
    call_command("purge_personal_data")
    assert "1 import(s) forgotten." in capsys.readouterr().out
    assert not ImportJob.objects.exists()


def test_the_devices_runner_is_registered_by_forms():
    from portal.import_jobs import get_runner  # the registry, filled at app loading

    assert get_runner(ImportKind.DEVICES).run.__module__ == "forms.logistics.import_runner"
    assert ImportStatus.DONE == "done"


def test_columns_left_over_are_mapped_and_remembered_for_the_refurbisher(client, coordination_user):
    campaign = coordinated_campaign(coordination_user)
    atelier = OrganisationFactory(name="Atelier du Marsan", is_refurbisher=True)
    client.force_login(coordination_user)
    # the refurbisher's own headings: nothing says which column is the type or the code
    data = "Réf;Etat machine;Genre;Marque\nR-1;PRET_A_DISTRIBUER;PC_PORTABLE;Dell\n".encode()
    form = client.get("/admin/forms/device/import/")
    assert 'for="id_refurbisher"' in form.text and "Atelier du Marsan" in form.text
    response = client.post(
        "/admin/forms/device/import/",
        {
            "import_file": SimpleUploadedFile("atelier.csv", data),
            "refurbisher": str(atelier.pk),
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.options == {"refurbisher": atelier.pk}
    preview = client.get(url(job))
    report = preview.context["report"]
    assert report.base_errors and {"Réf", "Etat machine", "Genre"} <= set(report.unknown_columns)
    assert 'role="alert"' in preview.text and "Colonnes à associer" in preview.text
    form = preview.context["mapping_form"]
    fields = {field.label: field.html_name for field in form.column_fields}
    assert {"Réf", "Etat machine", "Genre"} <= set(fields)
    assert "Ne rien importer" not in preview.text  # nothing to import yet
    posted = {
        fields["Réf"]: "serial_number",
        fields["Etat machine"]: "status",
        fields["Genre"]: "type",
        "refurbisher": str(atelier.pk),
        "remember": "on",
    }
    remapped = client.post(url(job, "mapping"), posted, follow=True)
    assert remapped.status_code == 200
    report = remapped.context["report"]
    assert not report.base_errors and (report.created, report.rejected) == (1, 0)
    assert device_import.saved_mapping(atelier) == {
        "Réf": "serial_number",
        "Etat machine": "status",
        "Genre": "type",
    }
    assert any("Atelier du Marsan" in str(m) for m in remapped.context["messages"])

    # the next file of the same refurbisher is read the same way at once
    ImportJob.objects.all().delete()
    data = "Réf;Etat machine;Genre;Marque\nR-2;DISTRIBUE;PC_FIXE;HP\n".encode()
    client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile("b.csv", data), "refurbisher": str(atelier.pk)},
    )
    job = ImportJob.objects.get()
    preview = client.get(url(job))
    assert preview.context["report"].created == 1 and not preview.context["report"].base_errors
    # the remembered columns are shown, ready to change
    assert [f.value() for f in preview.context["mapping_form"].column_fields][:3] == [
        "serial_number",
        "status",
        "type",
    ]
    client.post(url(job, "confirm"))
    device = Device.objects.get(serial_number="R-2")
    assert (device.device_type, device.refurbisher, device.campaign) == (
        "desktop",
        atelier,
        campaign,
    )


def test_a_refurbisher_not_in_the_list_shows_the_form_again(client, coordination_user):
    client.force_login(coordination_user)
    response = client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile("a.csv", DEVICES_CSV.encode()), "refurbisher": "999"},
    )
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert not ImportJob.objects.exists()
