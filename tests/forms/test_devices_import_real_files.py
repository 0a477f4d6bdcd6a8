"""Device import of files shaped like the ones refurbishers really send: the
shared inventory API's export, a French spreadsheet saved in Windows-1252, lent
rows whose borrower only the site knows, a workbook, columns named their own
way (mapped once, remembered), and bad files that must change nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from forms.logistics import device_import
from forms.logistics.models.column_mapping import DeviceColumnMapping
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from tests.factories import OrganisationFactory, coordinated_campaign

pytestmark = pytest.mark.django_db

# As the refurbishers' inventory tool exports it (comma, UTF-8, its own names and values).
INVENTORY_API = (
    "numeroSerie,typeMateriel,statut,marque,model,idMaterielReconditionneur,idLot,categorie,"
    "RAM,tailleDisqueDur1\n"
    "5CG7181XYZ,PC_PORTABLE,PRET_A_DISTRIBUER,HP,EliteBook 840 G3,REC-0001,LOT-2025-14,"
    "ordinateur,8,256\n"
    "PF0ABCD1,PC_PORTABLE,DISTRIBUE,Lenovo,ThinkPad T460,REC-0002,LOT-2025-14,ordinateur,"
    "8 Go,240 Go\n"
    "CZC1234567,UNITE_CENTRALE,NON_REEMPLOYABLE,HP,ProDesk 400 G1,REC-0003,LOT-2025-15,"
    "ordinateur,4,500\n"
    "R52N70ABCDE,TABLETTE,SAV,Samsung,Galaxy Tab A,REC-0004,LOT-2025-15,tablette,2,32\n"
)


def run(path, *args):
    """call_command -> (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_devices", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return getattr(error, "returncode", 1), out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def write(tmp_path, text, name="inventaire.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_inventory_api_export_is_read_with_its_own_names(tmp_path):
    code, out, err = run(write(tmp_path, INVENTORY_API))
    assert code == 0, err
    devices = {d.serial_number: d for d in Device.objects.all()}
    assert {serial: d.status for serial, d in devices.items()} == {
        "5CG7181XYZ": "ready",
        "PF0ABCD1": "handed_over",
        "CZC1234567": "eliminated",
        "R52N70ABCDE": "returned_broken",
    }
    ready = devices["5CG7181XYZ"]
    assert (ready.device_type, ready.brand, ready.model_name) == (
        "laptop",
        "HP",
        "EliteBook 840 G3",
    )
    assert (ready.ram_gb, ready.storage_gb, ready.refurbisher_reference) == (8, 256, "REC-0001")
    assert devices["PF0ABCD1"].ram_gb == 8 and devices["PF0ABCD1"].storage_gb == 240
    assert devices["CZC1234567"].device_type == "desktop"
    assert devices["R52N70ABCDE"].device_type == "tablet"
    # each alias applied is said, in French; what stays unknown is named
    assert "Mapped: « numeroSerie » lu comme « numéro de série »" in out
    assert "« idMaterielReconditionneur » lu comme « référence du reconditionneur »" in out
    assert "« PRET_A_DISTRIBUER » (statut) lu comme « Prêt »" in out
    assert "« SAV » (statut) lu comme « Retour en panne »" in out or "« SAV » (statut)" in out
    assert "Ignored columns: idLot, categorie" in out
    # a machine handed over by a site the refurbisher does not know: to complete, not refused
    assert devices["PF0ABCD1"].to_complete == ["site"]
    assert "warning: line 3 (PF0ABCD1) [site]: Lieu de médiation à compléter" in out


def test_a_french_spreadsheet_in_windows_1252_with_semicolons(tmp_path):
    text = (
        '"N° de série";"Type";"Statut";"Marque";"Modèle";"Processeur";"Mémoire";"Disque";'
        '"Système";"Emprunteur";"Code inventaire"\n'
        '"S-001";"Ordinateur portable";"Prêt à distribuer";"Dell";"Latitude E7450";'
        '"Intel Core i5-5300U";"8 Go";"256 Go";"Linux Mint 22";"";""\n'
        '"S-002";"Unité centrale";"Prêté";"Lenovo";"ThinkCentre M700";"Core i3";"4";"500";'
        '"Emmabuntüs";"Médiathèque de Mont-de-Marsan";"EQ-M-2"\n'
        '"S-003";"Écran";"Éliminé";"Iiyama";"ProLite";"";"";"";"";"";""\n'
    )
    code, out, err = run(write(tmp_path, text, encoding="cp1252"))
    assert code == 0, err
    assert "created: 3, updated: 0, rejected: 0" in out
    one = Device.objects.get(serial_number="S-001")
    assert (one.device_type, one.status, one.cpu) == ("laptop", "ready", "Intel Core i5-5300U")
    assert (one.ram_gb, one.storage_gb, one.installed_os) == (8, 256, "linux")
    two = Device.objects.get(inventory_code="EQ-M-2")
    assert two.status == "lent" and two.lent_to == "Médiathèque de Mont-de-Marsan"
    assert Loan.objects.get(device=two).borrower_name == "Médiathèque de Mont-de-Marsan"
    assert Device.objects.get(serial_number="S-003").device_type == "screen"
    assert "« N° de série » lu comme « numéro de série »" in out


def test_lent_rows_without_borrower_are_imported_to_complete(client, superuser, tmp_path):
    """The refurbisher does not know who borrowed the machines; the site does."""
    rows = [f"LENT-{i:03d};Ordinateur portable;lent;Dell;" for i in range(1, 6)]
    rows += ["KNOWN-1;Ordinateur portable;lent;Dell;Conseillère numérique de Dax"]
    rows += [f"READY-{i:03d};Ordinateur portable;ready;Dell;" for i in range(1, 4)]
    text = "serial_number;type;status;brand;borrower\n" + "\n".join(rows) + "\n"
    code, out, err = run(write(tmp_path, text))
    assert code == 0, err
    assert "created: 9, updated: 0, rejected: 0, with warnings: 5" in out
    assert "to complete (listed under “To complete” in the devices): 5" in out
    assert "[borrower]: Emprunteur à compléter" in out
    assert Device.objects.to_complete("lent_to").count() == 5
    # every lent machine has its loan; the five without borrower say so
    assert Loan.objects.count() == 6
    blank = Loan.objects.filter(borrower_name="")
    assert blank.count() == 5 and all("Emprunteur à compléter" in loan.notes for loan in blank)
    # the admin listing's filter shows them to the site
    client.force_login(superuser)
    response = client.get("/admin/forms/device/?a_completer=lent_to")
    html = response.content.decode()
    codes = {d.serial_number for d in response.context["object_list"]}
    assert codes == {f"LENT-{i:03d}" for i in range(1, 6)}
    assert "Emprunteur à compléter" in html
    # the site completes one: the device and its loan get the borrower
    device = Device.objects.get(serial_number="LENT-001")
    device.lent_to = "Association Défis"
    device.save()
    device.refresh_from_db()
    assert device.to_complete == []
    assert Loan.objects.get(device=device).borrower_name == "Association Défis"
    # importing the same file again changes nothing and duplicates no loan
    code, out, _err = run(write(tmp_path, text))
    assert code == 0 and "updated: 9" in out and Loan.objects.count() == 6


def test_a_workbook(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Numéro de série", "Type", "Statut", "Marque", "Modèle", "RAM", "Stockage"])
    sheet.append(["XL-1", "PC portable", "PRET_A_DISTRIBUER", "Acer", "TravelMate", 8, 256])
    sheet.append(["XL-2", "Tablette", "reçu", "Apple", "iPad 6", 2, 32.0])
    sheet.append([None, None, None, None, None, None, None])
    path = tmp_path / "inventaire.xlsx"
    workbook.save(path)
    code, out, err = run(path)
    assert code == 0, err
    assert dict(Device.objects.values_list("serial_number", "status")) == {
        "XL-1": "ready",
        "XL-2": "received",
    }
    assert Device.objects.get(serial_number="XL-2").storage_gb == 32


def test_a_leftover_column_mapped_with_map(tmp_path):
    text = (
        "N° série;Etat machine;Genre;idLot\n"
        "M-1;PRET_A_DISTRIBUER;PC_PORTABLE;LOT-A\n"
        "M-2;NON_REEMPLOYABLE;PC_FIXE;LOT-B\n"
    )
    path = write(tmp_path, text)
    code, _out, err = run(path)
    assert code == 1 and Device.objects.count() == 0
    assert "colonne(s) manquante(s) : type, status" in err
    assert "« Etat machine »" in err and "« Genre »" in err and "--map" in err
    code, out, err = run(
        path, "--map", "Etat machine=status", "--map", "Genre=type", "--map", "idLot=notes"
    )
    assert code == 0, err
    assert dict(Device.objects.values_list("serial_number", "notes")) == {
        "M-1": "LOT-A",
        "M-2": "LOT-B",
    }
    assert "« Etat machine » lu comme « statut »" in out
    # a column ignored on purpose is neither read nor reported unknown
    Device.objects.all().delete()
    code, out, _err = run(
        path, "--map", "Etat machine=status", "--map", "Genre=type", "--map", "idLot="
    )
    assert code == 0 and "Ignored columns" not in out
    assert set(Device.objects.values_list("notes", flat=True)) == {""}
    code, _out, err = run(path, "--map", "Genre=colour")
    assert code == 1 and "“colour” is not a column" in err


def test_a_remembered_mapping_is_reused(tmp_path):
    refurbisher = OrganisationFactory(name="Atelier du Marsan", siret="12345678200010")
    text = "Réf;Etat machine;Genre\nR-1;PRET_A_DISTRIBUER;PC_PORTABLE\n"
    path = write(tmp_path, text)
    code, out, err = run(
        path,
        "--refurbisher",
        "123 456 782 00010",
        "--remember",
        "--map",
        "Réf=serial_number",
        "--map",
        "Etat machine=status",
        "--map",
        "Genre=type",
    )
    assert code == 0, err
    assert "Mapping remembered for Atelier du Marsan" in out
    assert device_import.saved_mapping(refurbisher) == {
        "Réf": "serial_number",
        "Etat machine": "status",
        "Genre": "type",
    }
    assert DeviceColumnMapping.objects.get().refurbisher == refurbisher
    # the next file of the same refurbisher: no --map needed, the devices are theirs
    second = write(tmp_path, "Réf;Etat machine;Genre\nR-2;DISTRIBUE;PC_FIXE\n", name="b.csv")
    code, out, err = run(second, "--refurbisher", str(refurbisher.pk))
    assert code == 0, err
    device = Device.objects.get(serial_number="R-2")
    assert (device.status, device.device_type, device.refurbisher) == (
        "handed_over",
        "desktop",
        refurbisher,
    )
    # through the engine: the remembered mapping, a header mapped again updated
    remembered = device_import.remember_mapping(refurbisher, {"Genre": "", "Autre": "bogus"})
    assert remembered["Genre"] == "" and remembered["Autre"] == ""
    device_file = device_import.read_file(second.read_bytes(), check=False)
    assert device_file.missing_columns and "Réf" in device_file.unknown_columns
    report = device_import.import_devices(device_file, dry_run=True, refurbisher=refurbisher)
    assert report.base_errors  # Genre is ignored now: the type is missing


def upload(client, data, name="inventaire.csv"):
    """Upload through the admin and follow the redirect to the job's page, where the
    immediate task backend has already run the check."""
    return client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile(name, data, content_type="text/csv")},
        follow=True,
    )


def test_the_admin_upload_of_the_inventory_api_export(client, coordination_user):
    campaign = coordinated_campaign(coordination_user)
    client.force_login(coordination_user)
    response = upload(client, INVENTORY_API.encode())
    assert response.status_code == 200 and Device.objects.count() == 0
    report = response.context["report"]
    assert report.rejected == 0 and report.created == 4
    assert "« numeroSerie » lu comme « numéro de série »" in report.mappings
    assert report.unknown_columns == ["idLot", "categorie"]
    assert [row.identifier for row in report.warned_rows] == ["PF0ABCD1"]
    job = response.context["job"]
    response = client.post(f"/admin/forms/device/import/{job.pk}/confirm/")
    assert response.status_code == 302
    assert Device.objects.count() == 4 and set(
        Device.objects.values_list("campaign", flat=True)
    ) == {campaign.pk}


def test_a_file_that_changes_encoding_midway_changes_nothing(tmp_path):
    lines = ["serial_number;type;status;brand"]
    lines += [f"S{i:06d};laptop;ready;Dell" for i in range(5000)]  # > 64 KB of ASCII
    lines += ["S-é;laptop;ready;Dell"]  # UTF-8 so far
    lines += [f"T{i:06d};laptop;ready;Dell" for i in range(5000)]  # another 64 KB and more
    head = ("\n".join(lines) + "\n").encode("utf-8")
    tail = "S-LAST;laptop;ready;Société Générale\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + tail)
    code, _out, err = run(path)
    assert code == 1 and Device.objects.count() == 0
    assert "L'encodage de ce fichier change vers la ligne" in err and "Rien n'a été importé" in err


def test_bad_files_say_why_in_french_and_change_nothing(tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    assert "ni un fichier CSV ni un classeur XLSX" in run(binary)[2]
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert "Le fichier est vide" in run(empty)[2]
    blank = tmp_path / "blanc.csv"
    blank.write_bytes(b"\r\n\r\n")
    assert "Le fichier est vide" in run(blank)[2]
    zipped = tmp_path / "faux.xlsx"
    zipped.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "classeur XLSX ne peut pas être lu" in run(zipped)[2]
    assert Device.objects.count() == 0


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x.example","clic")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"],
)
def test_formula_like_cells_are_refused_and_nothing_is_imported(tmp_path, cell):
    text = f'serial_number,type,status,brand\nF-1,laptop,ready,Dell\nF-2,laptop,ready,"{cell.replace(chr(34), chr(34) * 2)}"\n'
    code, out, err = run(write(tmp_path, text))
    assert code == 1 and Device.objects.count() == 0
    assert "Nothing imported" in out
    assert "comme une formule de tableur" in err and "[brand]" in err
    assert "--partial" in err  # how to import the valid rows only


def test_harmless_signs_are_kept(tmp_path):
    text = "serial_number,type,status,notes\nH-1,laptop,ready,- clavier à changer\nH-2,laptop,ready,-15\n"
    code, _out, err = run(write(tmp_path, text))
    assert code == 0, err
    assert Device.objects.get(serial_number="H-1").notes == "- clavier à changer"


def test_an_unreadable_describing_value_is_dropped_with_a_warning(tmp_path):
    text = "serial_number,type,status,ram_gb\nW-1,laptop,ready,beaucoup\n"
    code, out, err = run(write(tmp_path, text))
    assert code == 0, err
    assert Device.objects.get(serial_number="W-1").ram_gb is None
    assert "warning: line 2 (W-1) [ram_gb] “beaucoup”" in out and "pas été importée" in out


def test_read_file_takes_bytes_a_file_object_or_a_path_and_reports_progress(tmp_path):
    text = "serial_number;type;status\n" + "".join(f"P{i};laptop;ready\n" for i in range(25))
    path = write(tmp_path, text)
    for source in (path.read_bytes(), path, str(path), open(path, "rb")):  # noqa: SIM115
        device_file = device_import.read_file(source)
        assert device_file.columns == ["serial_number", "type", "status"]
        assert sum(1 for _row in device_file.rows()) == 25
    calls = []
    report = device_import.import_devices(
        device_import.read_file(path),
        dry_run=False,
        chunk_size=10,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert report.created == 25 and Device.objects.count() == 25
    assert [done for done, _total in calls] == [10, 20, 25, 25]
    assert all(total is None or total >= done for done, total in calls)
