"""CSV import of devices: stages from final statuses, errors naming line and column."""

import pytest
from django.core.management import CommandError, call_command

from forms.models import Device
from tests.factories import DonorPledgeFactory, MediationSiteFactory

pytestmark = pytest.mark.django_db
HEADER = "inventory_code,type,brand,model,serial_number,status,os,oem_licence,source_pledge,site,erasure_method,erasure_date\n"


def write(tmp_path, body, name="devices.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes((HEADER + body).encode(encoding))
    return str(path)


def test_final_statuses_count_in_every_stage(tmp_path, capsys):
    pledge = DonorPledgeFactory(reference="DON-2026-00077")
    site = MediationSiteFactory(identifier="demo-40-01")
    path = write(
        tmp_path,
        "EQ-1,laptop,Dell,E7450,S1,handed_over,Linux Mint 22,non,DON-2026-00077,demo-40-01,overwrite,2026-02-01\n"
        "EQ-2,laptop,HP,840,S2,eliminated,,non,DON-2026-00077,,,\n"
        "EQ-3,Ordinateur portable,HP,840,S3,returned_broken,windows,oui,,,,\n"
        ",tablet,Samsung,Tab,S4,ready,,non,,,,\n",
    )
    call_command("import_devices", path)
    assert "created: 4, updated: 0, rejected: 0" in capsys.readouterr().out
    one = Device.objects.get(inventory_code="EQ-1")
    assert one.pledge == pledge and one.site == site and one.installed_os == "linux"
    assert one.refurbished_at and one.transferred_at and one.handed_over_at
    assert one.campaign_id == pledge.campaign_id
    assert Device.objects.stage("refurbished").count() == 3
    assert Device.objects.stage("eliminated").count() == 1
    assert Device.objects.filter(inventory_code__startswith="EQ-2026").count() == 1


def test_rejected_rows_name_line_and_column_and_exit_non_zero(tmp_path, capsys):
    path = write(
        tmp_path,
        "EQ-1,laptop,Dell,,S1,ready,windows,non,,,,\n"
        "EQ-2,laptop,Dell,,S2,flying,,,DON-0,nowhere,,2026-31-12\n"
        "EQ-3,laptop,Dell,,S3,ready,,,,,,\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_devices", path, "--dry-run")
    assert error.value.returncode == 1
    captured = capsys.readouterr()
    assert "Dry run (nothing changed): created: 1, updated: 0, rejected: 2" in captured.out
    assert "line 2 (code EQ-1) [os]" in captured.err
    for column in ("status", "source_pledge", "site", "erasure_date"):
        assert f"line 3 (code EQ-2) [{column}]" in captured.err
    assert Device.objects.count() == 0


def test_bad_files_give_clear_messages(tmp_path):
    latin1 = write(tmp_path, "EQ-1,laptop,Hélène,,,ready,,,,,,\n", encoding="latin-1")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_devices", latin1)
    binary = tmp_path / "x.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(CommandError):
        call_command("import_devices", str(binary))
    missing = tmp_path / "m.csv"
    missing.write_text("brand,model\nDell,E\n")
    with pytest.raises(CommandError, match="inventory_code"):
        call_command("import_devices", str(missing))


def test_admin_preview_then_confirm(client, coordination_user, communication_user, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (HEADER + "EQ-1,laptop,Dell,,S1,ready,,non,,,,\nEQ-2,laptop,,,,bogus,,,,,,\n").encode()
    client.force_login(communication_user)
    assert client.get("/admin/forms/device/import/").status_code in (302, 403)
    client.force_login(coordination_user)
    response = client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile("d.csv", data, content_type="text/csv")},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "bogus" in html and Device.objects.count() == 0
    response = client.post(
        "/admin/forms/device/import/confirm/", {"token": response.context["token"]}
    )
    assert response.status_code == 302 and Device.objects.count() == 1
    bad = client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile("d.csv", "é".encode("latin-1"))},
    )
    assert bad.status_code == 400
