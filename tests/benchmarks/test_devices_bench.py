"""Devices: time per document, a 500-device certificate, importing 20,000 devices,
importing a refurbisher's 200,000 machines in a child process (time and peak memory),
the programme report on 100,000 devices. Run with `make bench`."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms.enums import DeviceStatus
from forms.logistics import device_import
from forms.logistics.models.device import Device
from forms.logistics.services.devices import build_lot, receive_devices
from forms.logistics.services.documents import render_document
from forms.logistics.services.report import programme_report
from tests.factories import (
    DeviceBatchFactory,
    DonorPledgeFactory,
    MediationSiteFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]


def timed(function, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, sorted(times)[len(times) // 2]


def test_documents():
    pledge = DonorPledgeFactory()
    devices = receive_devices({"laptop": 10}, pledge=pledge)
    for device in devices:
        device.transition("ready")
    lot = build_lot(MediationSiteFactory(), size=10)
    _, donation = timed(lambda: render_document("donation_agreement", pledge), 5)
    _, transfer = timed(lambda: render_document("transfer_agreement", lot), 5)
    batch = DeviceBatchFactory()
    big = receive_devices({"laptop": 500}, batch=batch)
    Device.objects.filter(pk__in=[d.pk for d in big]).update(
        erasure_method="overwrite",
        erasure_result="success",
        erasure_operator="Atelier",
        erasure_date=timezone.localdate(),
        # The certificate names its refurbisher, SIRET and address.
        refurbisher=OrganisationFactory(siret="44321737800019", address="3 rue des Ateliers"),
    )
    document, certificate = timed(lambda: render_document("erasure_certificate", batch))
    print(
        f"\ndonation agreement {donation * 1000:.0f} ms, transfer agreement (10 devices) "
        f"{transfer * 1000:.0f} ms, erasure certificate (500 devices) {certificate:.2f} s, "
        f"{len(document.pdf_bytes()) // 1024} KB"
    )


def test_import_20000(tmp_path):
    """20,000 rows as a refurbisher writes them (semicolons, Latin-1, no inventory
    code: matched on the serial number, erasure wording as the tool writes it,
    lent rows with their borrower), imported in one go in under 30 s; then the
    same file again (all updates), with the memory peak measured."""
    import resource

    header = "serial_number;type;brand;model;status;erasure_method;erasure_date;borrower;os"
    statuses = ["handed_over", "ready", "allocated", "eliminated", "lent"]
    rows = []
    for i in range(20_000):
        status = statuses[i % len(statuses)]
        rows.append(
            f"SN{i:08d};Ordinateur portable;Dell;Latitude;{status};"
            f"{'broyage' if status == 'eliminated' else 'nwipe PRNG 1 pass, verified'};"
            f"05/01/2026;{'Conseillère numérique' if status == 'lent' else ''};Linux Mint 22"
        )
    data = ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")
    with CaptureQueriesContext(connection) as queries:
        report, seconds = timed(
            lambda: device_import.import_devices(device_import.read_file(data), dry_run=False)
        )
    assert report.created == 20_000 and report.rejected == 0 and report.applied
    print(f"\nimport of 20,000 devices: {seconds:.1f} s, {len(queries)} queries")
    again, update_seconds = timed(
        lambda: device_import.import_devices(device_import.read_file(data), dry_run=False)
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KB on Linux
    assert again.updated == 20_000 and Device.objects.count() == 20_000
    print(
        f"second run (20,000 updates) {update_seconds:.1f} s, "
        f"peak process memory (whole test run) {peak / 1024 / 1024:.0f} MB for a {len(data) / 1024 / 1024:.1f} MB file"
    )
    assert seconds < 30  # on an unloaded machine; the figure above is what counts here


def test_report_100000():
    now = timezone.now()
    statuses = list(DeviceStatus.values)
    batch = []
    for i in range(100_000):
        device = Device(inventory_code=f"EQ-R-{i:06d}", status=statuses[i % len(statuses)])
        device.mark_stages(when=now)
        batch.append(device)
    Device.objects.bulk_create(batch, batch_size=2000)
    with CaptureQueriesContext(connection) as queries:
        report, seconds = timed(programme_report, 3)
    assert report["devices"]["taken_in"] == 100_000 and len(queries) == 6
    print(f"\nprogramme report on 100,000 devices: {seconds * 1000:.0f} ms, 2 queries")


BIG_HEADER = (
    '"N° de série";"Type";"Statut";"Marque";"Modèle";"Processeur";"Mémoire";"Disque";'
    '"Système";"Emprunteur";"Effacement";"Date d\'effacement";"idLot"'
)
BIG_STATUSES = ["PRET_A_DISTRIBUER", "DISTRIBUE", "NON_REEMPLOYABLE", "SAV", "Prêté", "reçu"]
# Run by the child: the import command, then its own peak RSS (ru_maxrss, KB on Linux).
CHILD = """
import resource, sys, time, django
django.setup()
from django.core.management import call_command
start = time.perf_counter()
call_command("import_devices", sys.argv[1], "--map", "idLot=notes")
seconds = time.perf_counter() - start
print(f"BENCH {seconds:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"""


def test_import_200000_in_a_child_process(tmp_path):
    """A refurbisher's inventory of 200,000 machines (French headings, semicolons,
    Windows-1252, the inventory API's status words, a twentieth of lent machines
    without borrower) imported by `manage.py import_devices` in a child process on a
    file database: under 60 s, peak memory (the child's ru_maxrss) under 400 MB."""
    path = tmp_path / "inventaire.csv"
    with open(path, "w", encoding="cp1252", newline="") as out:
        out.write(BIG_HEADER + "\r\n")
        for i in range(200_000):
            status = BIG_STATUSES[i % len(BIG_STATUSES)]
            borrower = "Médiathèque de Dax" if status == "Prêté" and i % 4 else ""
            erased = status != "NON_REEMPLOYABLE"
            out.write(
                f'"PF{i:08d}";"Ordinateur portable";"{status}";"Lenovo";"ThinkPad T{440 + i % 40}";'
                f'"Intel Core i5-{4000 + i % 3000}U";"{4 * (1 + i % 4)} Go";"{128 * (1 + i % 4)} Go";'
                f'"Linux Mint 22";"{borrower}";'
                f'"{"nwipe PRNG 1 pass, verified" if erased else "broyage"}";"05/01/2026";'
                f'"LOT-2025-{i // 500:04d}"\r\n'
            )
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "PYTHONPATH": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=root, env=env, check=True
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    seconds, peak_kb = float(line.split()[1]), int(line.split()[2])
    assert "created: 200000, updated: 0, rejected: 0" in done.stdout
    print(
        f"\nimport of 200,000 devices ({path.stat().st_size / 1024 / 1024:.0f} MB CSV) in a child "
        f"process: {seconds:.1f} s, peak RSS of the child (ru_maxrss) {peak_kb / 1024:.0f} MB"
    )
    assert seconds < 60
    assert peak_kb / 1024 < 400
