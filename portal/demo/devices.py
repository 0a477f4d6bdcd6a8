"""Demo devices, campaign by campaign (fixtures/demo/devices.json): the laptops of
the campaign's collected pledges go through refurbishment by the campaign's own
refurbishers, then in lots to the campaign's own mediation sites, leaving
allocated devices in each site's stock for handovers; what is not in a lot stays
ready (Lorient lends it).

Idempotent: a campaign that has devices gets no more.
"""

import datetime

from content.models import CampaignPage, MediationSite, Organisation
from forms.enums import PledgeStatus
from forms.kinds.pledge.models import DonorPledge
from forms.logistics.models.device import Device
from forms.logistics.services.devices import build_lot, receive_devices
from forms.logistics.services.documents import render_document
from portal.demo.campaigns import own_coordinator
from portal.demo.fixtures import read_fixture

MODELS = [("Dell", "Latitude 7490"), ("Lenovo", "ThinkPad T480"), ("HP", "EliteBook 840 G5")]
NOTE = "Données de démonstration"


def load_devices(loader):
    created = 0
    for slug, plan in read_fixture("devices.json").items():
        campaign = CampaignPage.objects.filter(slug=slug).first()
        if campaign is None or Device.objects.filter(campaign=campaign).exists():
            continue
        created += load_campaign_devices(campaign, plan)
    loader.created["devices"] = loader.created.get("devices", 0) + created


def load_campaign_devices(campaign, plan):
    pledges = list(
        DonorPledge.objects.filter(
            campaign=campaign,
            status__in=[PledgeStatus.COLLECTED, PledgeStatus.CLOSED],
            laptops__gt=0,
        ).order_by("created_at", "pk")
    )
    if not pledges:
        return 0
    coordinator = own_coordinator(campaign)
    # Spread the laptops over the pledges, the first pledges first.
    counts = [plan["laptops"] // len(pledges)] * len(pledges)
    for index in range(plan["laptops"] % len(pledges)):
        counts[index] += 1
    devices = []
    for pledge, count in zip(pledges, counts, strict=True):
        if count:
            devices += receive_devices({"laptop": count}, pledge=pledge, by=coordinator)
    eliminated = set(range(len(devices) - plan["eliminated"], len(devices)))
    erased_on = campaign.start_date + datetime.timedelta(days=45)
    for index, device in enumerate(devices):
        refurbish(device, index, plan["refurbishers"], erased_on, index in eliminated, coordinator)
    if plan.get("erasure_certificate"):
        render_document("erasure_certificate", pledges[0], by=coordinator)
    for spec in plan["lots"]:
        site = MediationSite.objects.get(identifier=spec["site"])
        lot = build_lot(site, size=spec["size"], by=coordinator, campaign=campaign)
        lot.transition("delivered", by=coordinator, note=NOTE)
        if spec.get("transfer_agreement"):
            render_document("transfer_agreement", lot, by=coordinator)
    return len(devices)


def refurbish(device, index, refurbishers, erased_on, eliminated, by):
    brand, model = MODELS[index % len(MODELS)]
    device.brand, device.model_name = brand, model
    device.serial_number = f"DEMO{device.campaign_id}{index:04d}"
    device.cpu, device.ram_gb, device.storage_gb = "Intel Core i5-8350U", 8, 256
    device.oem_licence = index % 3 != 0
    device.save()
    device.transition("in_refurbishment", by=by, note=NOTE)
    if eliminated:
        device.hardware_test = "failed"
        device.save(update_fields=["hardware_test"])
        device.transition("eliminated", by=by, note="Carte mère hors service")
        return
    device.hardware_test = "passed"
    device.erasure_method, device.erasure_tool, device.erasure_passes = (
        "overwrite",
        "ShredOS (nwipe)",
        1,
    )
    device.erasure_verified, device.erasure_result = True, "success"
    device.erasure_date = erased_on
    device.erasure_operator = refurbishers[index % len(refurbishers)]
    # The refurbisher who erased it (its SIRET and address head the certificate).
    device.refurbisher = Organisation.objects.filter(
        name=device.erasure_operator, is_refurbisher=True
    ).first()
    device.installed_os = "windows" if device.oem_licence else "linux"
    device.os_version = "Windows 11 Famille" if device.oem_licence else "Linux Mint 22"
    device.save()
    device.transition("ready", by=by, note=NOTE)
