"""Device import as refurbishers write their files: all or nothing with a
per-row report, idempotent on the asset or serial number, tolerant erasure
wording, detected encoding and delimiter; and exports that import back."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import CampaignPage
from forms.engine.models.records import StatusLog
from forms.logistics import device_import
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from portal.roles import COORDINATION
from tests.factories import (
    CampaignPageFactory,
    DeviceFactory,
    DonorPledgeFactory,
    MediationSiteFactory,
    OrganisationFactory,
    UserFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db
HEADER = "inventory_code,type,brand,model,serial_number,status,os,oem_licence,source_pledge,site,erasure_method,erasure_date\n"


def write(tmp_path, body, name="devices.csv", encoding="utf-8", header=HEADER):
    path = tmp_path / name
    path.write_bytes((header + body).encode(encoding))
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
    # every creation is logged
    assert StatusLog.objects.filter(content_type__model="device").count() == 4


BAD_ROWS = (
    "EQ-1,laptop,Dell,,S1,ready,windows,non,,,,\n"
    "EQ-2,laptop,Dell,,S2,flying,,,DON-0,nowhere,formatage rapide,2026-31-12\n"
    "EQ-3,laptop,Dell,,S3,ready,,,,,,\n"
)


def test_all_or_nothing_with_a_report_of_line_column_value_and_reason(tmp_path, capsys):
    path = write(tmp_path, BAD_ROWS)
    with pytest.raises(CommandError) as error:
        call_command("import_devices", path)
    assert error.value.returncode == 1
    captured = capsys.readouterr()
    assert (
        "Nothing imported" in captured.out and "created: 1, updated: 0, rejected: 2" in captured.out
    )
    assert "line 2 (EQ-1) [os] “windows”: " in captured.err
    for column, value in (
        ("status", "flying"),
        ("source_pledge", "DON-0"),
        ("site", "nowhere"),
        ("erasure_date", "2026-31-12"),
        ("erasure_method", "formatage rapide"),
    ):
        assert f"line 3 (EQ-2) [{column}] “{value}”" in captured.err
    # the unknown erasure wording is reported with what is accepted, never guessed
    assert "nwipe, ShredOS, DBAN, Blancco, BitRaser" in captured.err
    assert Device.objects.count() == 0 and StatusLog.objects.count() == 0


def test_partial_import_saves_the_valid_rows_only(tmp_path, capsys):
    path = write(tmp_path, BAD_ROWS)
    with pytest.raises(CommandError):
        call_command("import_devices", path, "--partial")
    assert "created: 1, updated: 0, rejected: 2" in capsys.readouterr().out
    assert list(Device.objects.values_list("inventory_code", flat=True)) == ["EQ-3"]


def test_dry_run_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, "EQ-1,laptop,Dell,,S1,ready,,,,,,\n")
    call_command("import_devices", path, "--dry-run")
    assert "Dry run (nothing changed): created: 1" in capsys.readouterr().out
    assert Device.objects.count() == 0


def test_idempotent_on_serial_number_without_inventory_codes(tmp_path, capsys):
    header = "serial_number;type;status;brand;borrower\n"
    body = "SN-A;laptop;ready;Dell;\nSN-B;laptop;lent;HP;Conseillère numérique de Dax\n"
    path = write(tmp_path, body, header=header)
    call_command("import_devices", path)
    codes = dict(Device.objects.values_list("serial_number", "inventory_code"))
    call_command("import_devices", path)
    out = capsys.readouterr().out
    assert "created: 2, updated: 0" in out and "created: 0, updated: 2" in out
    assert dict(Device.objects.values_list("serial_number", "inventory_code")) == codes
    # the lent device has its borrower and one ongoing loan, not two
    lent = Device.objects.get(serial_number="SN-B")
    assert lent.lent_to == "Conseillère numérique de Dax"
    assert Loan.objects.filter(device=lent, status="ongoing").count() == 1


def test_rows_without_code_or_serial_and_duplicates_are_rejected(tmp_path, capsys):
    header = "inventory_code,serial_number,type,status\n"
    body = ",,laptop,ready\nEQ-1,SN1,laptop,ready\nEQ-2,SN1,laptop,ready\n"
    with pytest.raises(CommandError):
        call_command("import_devices", write(tmp_path, body, header=header))
    err = capsys.readouterr().err
    assert "line 2 (?) [inventory_code]" in err and "line 4 (EQ-2) [serial_number] “SN1”" in err


def test_new_columns_campaign_refurbisher_borrower_erasure_tool(campaign_index, tmp_path):
    campaign = CampaignPageFactory(parent=campaign_index, slug="filiere-anjou")
    atelier = OrganisationFactory(name="Envie Anjou", siret="")
    header = "serial_number\tstatus\ttype\tcampaign\trefurbisher\terasure_method\terasure_tool\terasure_date\tborrower\tloan_return_date\n"
    body = (
        "SN1\tready\tlaptop\tfiliere-anjou\tenvie anjou\tnwipe PRNG 1 pass, verified\t\t01/03/2026\t\t\n"
        "SN2\tlent\tlaptop\tfiliere-anjou\tEnvie Anjou\tATA Secure Erase\thdparm 9.65\t2026-03-02\tAssociation Emmaüs Connect\t2026-09-01\n"
    )
    call_command("import_devices", write(tmp_path, body, header=header))
    one = Device.objects.get(serial_number="SN1")
    assert one.campaign == campaign and one.refurbisher == atelier
    assert (one.erasure_method, one.erasure_passes, one.erasure_verified) == ("overwrite", 1, True)
    assert one.erasure_tool == "nwipe PRNG 1 pass, verified"
    assert one.erasure_date.isoformat() == "2026-03-01"
    two = Device.objects.get(serial_number="SN2")
    assert (two.erasure_method, two.erasure_tool) == ("secure_erase", "hdparm 9.65")
    assert two.lent_to == "Association Emmaüs Connect" and str(two.loan_return_date) == "2026-09-01"
    loan = Loan.objects.get(device=two)
    assert loan.due_date == two.loan_return_date and loan.campaign == campaign


@pytest.mark.parametrize(
    ("wording", "method"),
    [
        ("nwipe PRNG 1 pass, verified", "overwrite"),
        ("ShredOS 2024 (nwipe) DoD short", "overwrite"),
        ("DBAN 2.3.0", "overwrite"),
        ("Blancco Drive Eraser", "overwrite"),
        ("BitRaser Drive Eraser", "overwrite"),
        ("shred -n 3 -z /dev/sda", "overwrite"),
        ("hdparm --security-erase NULL /dev/sda", "secure_erase"),
        ("ATA Secure Erase", "secure_erase"),
        ("nvme format /dev/nvme0n1 --ses=1", "secure_erase"),
        ("nvme format --ses=2 (crypto erase)", "crypto_erase"),
        ("blkdiscard --secure /dev/sdb", "secure_erase"),
        ("destruction", "destruction"),
        ("Broyage du disque", "destruction"),
        ("HDD shredded", "destruction"),
        ("overwrite", "overwrite"),
    ],
)
def test_erasure_wording_as_the_tools_write_it(wording, method):
    from forms.logistics.erasure import read_erasure

    assert read_erasure(wording)[0] == method


def test_encodings_and_delimiters_are_detected(tmp_path):
    header = "inventory_code;type;brand;status\n"
    call_command(
        "import_devices", write(tmp_path, "EQ-1;laptop;Hélène;ready\n", "a.csv", "latin-1", header)
    )
    with_bom = "\ufeff" + header.replace(";", "\t")
    call_command(
        "import_devices",
        write(tmp_path, "EQ-2\tlaptop\tÉlan\tready\n", "b.csv", "utf-8", with_bom),
    )
    assert dict(Device.objects.values_list("inventory_code", "brand")) == {
        "EQ-1": "Hélène",
        "EQ-2": "Élan",
    }


def test_bad_files_give_clear_messages(tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01binary")
    with pytest.raises(CommandError, match="CSV"):
        call_command("import_devices", str(binary))
    missing = tmp_path / "m.csv"
    missing.write_text("brand,model\nDell,E\n")
    with pytest.raises(CommandError, match="serial_number"):
        call_command("import_devices", str(missing))


def upload(client, data, name="d.csv"):
    """Upload through the admin and follow the redirect to the job's page, where the
    immediate task backend has already run the check."""
    return client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile(name, data, content_type="text/csv")},
        follow=True,
    )


def job_of(response):
    return response.context["job"].pk


def confirm(client, job_id, **choices):
    return client.post(f"/admin/forms/device/import/{job_id}/confirm/", choices)


def test_admin_preview_then_all_or_nothing_then_partial(
    client, coordination_user, communication_user
):
    data = (HEADER + "EQ-1,laptop,Dell,,S1,ready,,non,,,,\nEQ-2,laptop,,,,bogus,,,,,,\n").encode()
    campaign = coordinated_campaign(coordination_user)
    client.force_login(communication_user)
    assert client.get("/admin/forms/device/import/").status_code in (302, 403)
    client.force_login(coordination_user)
    response = upload(client, data)
    html = response.content.decode()
    assert response.status_code == 200 and "bogus" in html and Device.objects.count() == 0
    assert "import-rejected" in html and 'name="partial"' in html
    token = job_of(response)
    # confirming without choosing a partial import imports nothing
    response = confirm(client, token)
    assert response.status_code == 302 and Device.objects.count() == 0
    token = job_of(upload(client, data))
    response = confirm(client, token, partial="1")
    assert response.status_code == 302
    assert list(Device.objects.values_list("inventory_code", flat=True)) == ["EQ-1"]
    # a coordinator of one campaign: the new device without campaign goes to it
    assert Device.objects.get().campaign == campaign


# Campaign scoping (forms.access) ---------------------------------------------
SCOPED_HEADER = "inventory_code,type,brand,status,campaign,source_pledge,site\n"
FOREIGN = "Ce matériel appartient à une autre campagne que les vôtres."


@pytest.fixture
def two_campaigns(campaign_index, coordination_user):
    """Campaign A coordinated by ``coordination_user``, campaign B by someone else,
    each with a site, a pledge and a device."""
    other = UserFactory(username="coord-b", groups=[COORDINATION])
    world = {}
    for name, coordinator in (("a", coordination_user), ("b", other)):
        campaign = coordinated_campaign(coordinator, parent=campaign_index, slug=f"campagne-{name}")
        site = MediationSiteFactory(identifier=f"lieu-{name}")
        campaign.sites.add(site)
        campaign.save()  # a page's many-to-many is written when it is saved
        world[name] = {
            "campaign": campaign,
            "site": site,
            "pledge": DonorPledgeFactory(
                campaign=campaign, reference=f"DON-2026-0000{name.upper()}"
            ),
            "device": DeviceFactory(
                inventory_code=f"EQ-{name.upper()}", campaign=campaign, brand="Dell"
            ),
        }
    return world


def brands():
    return dict(Device.objects.values_list("inventory_code", "brand"))


def rejected(response):
    """{line: [(column, value, message)]} of a preview."""
    return {row.line: row.errors for row in response.context["report"].rejected_rows}


def test_a_coordinator_cannot_update_another_campaigns_device(
    client, coordination_user, two_campaigns
):
    data = (SCOPED_HEADER + "EQ-A,laptop,Lenovo,ready,,,\nEQ-B,laptop,Lenovo,ready,,,\n").encode()
    client.force_login(coordination_user)
    response = upload(client, data)
    assert rejected(response) == {3: [("inventory_code", "EQ-B", FOREIGN)]}
    assert FOREIGN in response.content.decode()
    report = response.context["report"]
    assert (report.created, report.updated, report.rejected) == (0, 1, 1)
    # all or nothing: confirming changes nothing
    confirm(client, job_of(response))
    assert brands() == {"EQ-A": "Dell", "EQ-B": "Dell"}
    # the valid rows only: B's device is still untouched, A's campaign kept
    token = job_of(upload(client, data))
    confirm(client, token, partial="1")
    assert brands() == {"EQ-A": "Lenovo", "EQ-B": "Dell"}
    assert Device.objects.get(inventory_code="EQ-A").campaign == two_campaigns["a"]["campaign"]
    # matched on its serial number, B's device is refused as well, its code not shown
    serial = Device.objects.get(inventory_code="EQ-B").serial_number
    data = f"serial_number,type,status,brand\n{serial},laptop,ready,Acer\n".encode()
    assert rejected(upload(client, data)) == {2: [("serial_number", serial, FOREIGN)]}
    data = f"inventory_code,serial_number,type,status\nEQ-NEW,{serial},laptop,ready\n".encode()
    assert rejected(upload(client, data)) == {2: [("serial_number", serial, FOREIGN)]}


def test_a_coordinator_names_only_their_campaigns_sites_and_pledges(
    client, coordination_user, two_campaigns
):
    data = (
        SCOPED_HEADER
        + "EQ-N1,laptop,HP,ready,campagne-b,,\n"
        + "EQ-N2,laptop,HP,ready,campagne-a,DON-2026-0000B,lieu-b\n"
        + "EQ-A,laptop,HP,ready,campagne-b,,\n"
    ).encode()
    client.force_login(coordination_user)
    response = upload(client, data)
    assert rejected(response) == {
        2: [("campaign", "campagne-b", "La campagne « campagne-b » n’est pas l’une des vôtres.")],
        3: [
            (
                "source_pledge",
                "DON-2026-0000B",
                "La promesse de don « DON-2026-0000B » appartient à une autre campagne que les vôtres.",
            ),
            ("site", "lieu-b", "Le lieu de médiation « lieu-b » ne sert aucune de vos campagnes."),
        ],
        4: [("campaign", "campagne-b", "La campagne « campagne-b » n’est pas l’une des vôtres.")],
    }
    assert "campagne-b" in response.content.decode()
    confirm(client, job_of(response))
    assert Device.objects.count() == 2
    assert Device.objects.get(inventory_code="EQ-A").campaign == two_campaigns["a"]["campaign"]


def test_a_coordinators_own_rows_are_imported(client, coordination_user, two_campaigns):
    a = two_campaigns["a"]
    data = (
        SCOPED_HEADER
        + "EQ-A,laptop,Lenovo,ready,campagne-a,DON-2026-0000A,lieu-a\n"
        + "EQ-N1,laptop,HP,ready,campagne-a,,lieu-a\n"
        + "EQ-N2,laptop,HP,ready,,DON-2026-0000A,\n"
        + "EQ-N3,laptop,HP,ready,,,\n"
    ).encode()
    client.force_login(coordination_user)
    response = upload(client, data)
    report = response.context["report"]
    assert (report.created, report.updated, report.rejected) == (3, 1, 0)
    response = confirm(client, job_of(response))
    assert response.status_code == 302
    devices = {d.inventory_code: d for d in Device.objects.all()}
    assert devices["EQ-A"].brand == "Lenovo" and devices["EQ-A"].pledge == a["pledge"]
    assert devices["EQ-N1"].site == a["site"]
    # without a campaign column value: the pledge's campaign, else their only campaign
    assert {devices[code].campaign for code in ("EQ-A", "EQ-N1", "EQ-N2", "EQ-N3")} == {
        a["campaign"]
    }
    assert devices["EQ-B"].brand == "Dell"


def test_a_coordinator_of_several_campaigns_names_the_new_devices_campaign(
    client, coordination_user, campaign_index, two_campaigns
):
    coordinated_campaign(coordination_user, parent=campaign_index, slug="campagne-c")
    data = (
        SCOPED_HEADER + "EQ-N1,laptop,HP,ready,,,\nEQ-N2,laptop,HP,ready,campagne-c,,\n"
        "EQ-A,laptop,HP,ready,,,\n"
    ).encode()
    client.force_login(coordination_user)
    response = upload(client, data)
    message = (
        "Indiquez la campagne de ce matériel : le slug de l’une des campagnes que vous coordonnez."
    )
    assert rejected(response) == {2: [("campaign", "", message)]}
    token = job_of(response)
    confirm(client, token, partial="1")
    # a device already recorded keeps its campaign when the cell is blank
    assert dict(Device.objects.values_list("inventory_code", "campaign__slug")) == {
        "EQ-A": "campagne-a",
        "EQ-B": "campagne-b",
        "EQ-N2": "campagne-c",
    }


def test_a_superuser_and_the_command_are_not_bounded(client, superuser, two_campaigns, tmp_path):
    data = (
        SCOPED_HEADER
        + "EQ-B,laptop,Lenovo,ready,campagne-a,DON-2026-0000A,lieu-a\n"
        + "EQ-N1,laptop,HP,ready,campagne-b,DON-2026-0000B,lieu-b\n"
        + "EQ-N2,laptop,HP,ready,,,\n"
    ).encode()
    client.force_login(superuser)
    response = upload(client, data)
    assert response.context["report"].rejected == 0
    confirm(client, job_of(response))
    assert dict(Device.objects.values_list("inventory_code", "campaign__slug")) == {
        "EQ-A": "campagne-a",
        "EQ-B": "campagne-a",
        "EQ-N1": "campagne-b",
        "EQ-N2": None,
    }
    # the command runs as the programme: any campaign's device, any slug
    body = "EQ-A,laptop,Acer,ready,campagne-b,,lieu-b\nEQ-B,laptop,Acer,ready,campagne-b,,\n"
    call_command("import_devices", write(tmp_path, body, header=SCOPED_HEADER))
    assert brands()["EQ-A"] == "Acer" and brands()["EQ-B"] == "Acer"
    assert Device.objects.get(inventory_code="EQ-A").campaign == two_campaigns["b"]["campaign"]


def scoped_rows(count, start):
    """Rows of campaign A: updates of existing devices and new ones, naming the
    campaign, the pledge and the site, and one row of B's device."""
    rows = ["EQ-B,laptop,HP,ready,,,"]
    for number in range(start, start + count):
        code = f"EQ-S{number:04d}"
        DeviceFactory(inventory_code=code, campaign=CampaignPage.objects.get(slug="campagne-a"))
        rows.append(f"{code},laptop,HP,ready,campagne-a,DON-2026-0000A,lieu-a")
        rows.append(f"EQ-T{number:04d},laptop,HP,ready,,,lieu-a")
    return (SCOPED_HEADER + "\n".join(rows) + "\n").encode()


def without_inserts(queries):
    return [q for q in queries.captured_queries if not q["sql"].startswith("INSERT")]


def test_the_scoped_preview_costs_the_same_queries_whatever_the_rows(
    client, coordination_user, two_campaigns
):
    client.force_login(coordination_user)
    small = scoped_rows(2, 0)
    large = scoped_rows(60, 100)
    upload(client, small)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        response = upload(client, small)
    assert response.context["report"].rejected == 1
    with CaptureQueriesContext(connection) as many:
        response = upload(client, large)
    assert (response.context["report"].updated, response.context["report"].created) == (60, 60)
    assert response.context["report"].rejected == 1
    # The upload, its background job (claim, progress, report) and the job's page
    # add a fixed number of queries, whatever the rows.
    assert len(without_inserts(many)) == len(without_inserts(few))
    assert len(many) - len(without_inserts(many)) <= 4  # 3 for the rows, 1 for the job
    # The engine alone, as the job runs it: SQLite's 999-parameter limit splits the
    # one bulk insert of the new rows into statements of a few dozen rows; every
    # other query is read once.
    engine = {}
    for name, data in (("warm", small), ("few", small), ("many", large)):
        with CaptureQueriesContext(connection) as engine[name]:
            device_import.import_devices(
                device_import.read_file(data), by=coordination_user, user=coordination_user
            )
    assert len(without_inserts(engine["many"])) == len(without_inserts(engine["few"])) <= 30
    assert len(without_inserts(few)) - len(without_inserts(engine["few"])) <= 30


# Exports round-trip ---------------------------------------------------------
FIELDS = [f.attname for f in Device._meta.concrete_fields if f.attname not in {"id", "updated_at"}]


def snapshot():
    return sorted(Device.objects.values_list(*FIELDS))


def make_world(campaign_index, coordinator):
    """Devices of one campaign that ``coordinator`` coordinates (the export and the
    import are bounded to their campaigns), at a site serving it."""
    campaign = coordinated_campaign(coordinator, parent=campaign_index, slug="ordipin40")
    pledge = DonorPledgeFactory(campaign=campaign)
    site = MediationSiteFactory(identifier="site-40-01")
    campaign.sites.add(site)
    campaign.save()  # a page's many-to-many is written when it is saved
    atelier = OrganisationFactory(name="Atelier =SUM(1)", siret="73282932000074")
    DeviceFactory(
        status="handed_over",
        pledge=pledge,
        campaign=campaign,
        site=site,
        refurbisher=atelier,
        erasure_method="overwrite",
        erasure_tool="nwipe",
        erasure_passes=1,
        erasure_verified=True,
        erasure_result="success",
        ram_gb=8,
        storage_gb=256,
        grade="B",
        hardware_test="passed",
        installed_os="linux",
        os_version="Linux Mint 22",
        notes="=cmd|' /C calc'!A0",
    ).mark_stages()
    DeviceFactory(status="eliminated", campaign=campaign, hardware_test="failed")
    DeviceFactory(
        status="lent", lent_to="Conseiller numérique", serial_number="", campaign=campaign
    )
    for device in Device.objects.all():
        device.mark_stages()
        device.save()


@pytest.mark.parametrize("export_format", ["csv", "csv-comma", "xlsx"])
def test_device_export_imports_back_to_the_same_database(
    client, coordination_user, campaign_index, export_format
):
    make_world(campaign_index, coordination_user)
    before = snapshot()
    assert len(before) == 3
    client.force_login(coordination_user)
    params = {"export": "xlsx" if export_format == "xlsx" else "csv"}
    if export_format == "csv-comma":
        params["delimiter"] = "comma"
    response = client.get("/admin/forms/device/", params)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        assert data.startswith("\ufeff".encode()) and b"inventory_code;serial_number;" in data
        assert b"'=cmd" in data  # formulas neutralised by the export base
    elif export_format == "csv-comma":
        assert b"inventory_code,serial_number," in data
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet["A1"].value == "inventory_code"
    # importing the export into the same database changes nothing
    token = (
        upload(client, data, f"export.{'xlsx' if export_format == 'xlsx' else 'csv'}")
        .context["job"]
        .pk
    )
    confirm(client, token)
    assert snapshot() == before
    # and into an emptied database gives the same devices back
    Loan.objects.all().delete()
    Device.objects.all().delete()
    token = (
        upload(client, data, f"export.{'xlsx' if export_format == 'xlsx' else 'csv'}")
        .context["job"]
        .pk
    )
    confirm(client, token)
    assert snapshot() == before
