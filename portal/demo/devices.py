"""Demo devices: the collected pledges' computers through refurbishment, a lot
delivered to the demo site `demo-40-01` (staff: `mediation`), leaving allocated
devices in that site's stock for a handover. Idempotent: does nothing once any
device exists."""

import datetime

from django.contrib.auth import get_user_model

from content.models import MediationSite
from forms.enums import PledgeStatus
from forms.kinds.pledge.models import DonorPledge
from forms.logistics.models.device import Device
from forms.logistics.services.devices import build_lot, receive_devices
from forms.logistics.services.documents import render_document

DEMO_SITE = "demo-40-01"
MODELS = [("Dell", "Latitude 7490"), ("Lenovo", "ThinkPad T480"), ("HP", "EliteBook 840 G5")]


def load_devices(loader):
    if Device.objects.exists():
        return
    site = MediationSite.objects.filter(identifier=DEMO_SITE).first()
    pledges = list(
        DonorPledge.objects.filter(
            status__in=[PledgeStatus.COLLECTED, PledgeStatus.CLOSED], laptops__gt=0
        ).order_by("created_at")[:2]
    )
    if site is None or not pledges:
        return
    coordinator = get_user_model().objects.filter(username="coordination").first()
    created = 0
    for number, pledge in enumerate(pledges):
        devices = receive_devices({"laptop": 12}, pledge=pledge, by=coordinator)
        created += len(devices)
        for index, device in enumerate(devices):
            brand, model = MODELS[index % len(MODELS)]
            device.brand, device.model_name = brand, model
            device.serial_number = f"DEMO{number}{index:04d}"
            device.cpu, device.ram_gb, device.storage_gb = "Intel Core i5-8350U", 8, 256
            device.oem_licence = index % 3 != 0
            device.save()
            device.transition("in_refurbishment", by=coordinator, note="Données de démonstration")
            if index == 11:
                device.hardware_test = "failed"
                device.save(update_fields=["hardware_test"])
                device.transition("eliminated", by=coordinator, note="Carte mère hors service")
                continue
            device.hardware_test = "passed"
            device.erasure_method, device.erasure_tool, device.erasure_passes = (
                "overwrite",
                "ShredOS (nwipe)",
                1,
            )
            device.erasure_verified, device.erasure_result = True, "success"
            device.erasure_date = datetime.date(2026, 3, 2)
            device.erasure_operator = "Atelier Ordi'Landes"
            device.installed_os = "windows" if device.oem_licence else "linux"
            device.os_version = "Windows 11 Famille" if device.oem_licence else "Linux Mint 22"
            device.save()
            device.transition("ready", by=coordinator, note="Données de démonstration")
        render_document("erasure_certificate", pledge, by=coordinator)
    lot = build_lot(site, size=10, by=coordinator)
    lot.transition("delivered", by=coordinator, note="Données de démonstration")
    render_document("transfer_agreement", lot, by=coordinator)
    loader.created["devices"] = created
