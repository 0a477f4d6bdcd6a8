"""Devices: status machine, stage counting, lots, stock, handover services."""

import pytest
from django.core.exceptions import ValidationError

from forms.engine.models.records import StatusLog, TransitionNotAllowed
from forms.enums import DeviceStatus as S
from forms.logistics.models.device import Device
from forms.logistics.services.devices import (
    allocated_device_for_handover,
    build_lot,
    pledge_counts,
    receive_devices,
    record_handover,
)
from tests.factories import (
    DeviceFactory,
    DonorPledgeFactory,
    MediationSiteFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db


def test_allowed_path_is_logged_and_stamps_stages(coordination_user):
    device = DeviceFactory()
    for status in (S.IN_REFURBISHMENT, S.READY, S.LENT, S.RETURNED, S.READY):
        device.transition(status, by=coordination_user)
    device.refresh_from_db()
    assert device.status == S.READY
    assert device.refurbished_at and device.lent_at and not device.transferred_at
    logs = StatusLog.objects.filter(object_id=device.pk, content_type__model="device")
    assert [log.to_status for log in logs] == [
        "in_refurbishment",
        "ready",
        "lent",
        "returned",
        "ready",
    ]
    assert all(log.by == coordination_user for log in logs)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.RECEIVED, S.ALLOCATED),
        (S.RECEIVED, S.HANDED_OVER),
        (S.ELIMINATED, S.READY),
        (S.RECYCLED, S.IN_REFURBISHMENT),
        (S.HANDED_OVER, S.READY),
        (S.IN_REFURBISHMENT, S.LENT),
        (S.LENT, S.READY),
    ],
)
def test_refused_transitions(start, target):
    device = DeviceFactory(status=start)
    with pytest.raises(TransitionNotAllowed):
        device.transition(target)
    device.refresh_from_db()
    assert device.status == start


def test_automatic_statuses_are_not_offered_by_hand():
    device = DeviceFactory(status=S.READY)
    assert device.can_transition(S.ALLOCATED)
    assert not device.can_change_by_hand(S.ALLOCATED)
    # Lent and returned through a loan (forms/services/loans.py), never by hand.
    assert device.can_transition(S.LENT) and not device.can_change_by_hand(S.LENT)


def test_refurbished_stays_counted_whatever_happens_after():
    device = DeviceFactory(status=S.READY)
    device.mark_stages()
    device.save()
    device.transition(S.RECYCLED)
    assert Device.objects.stage("refurbished").count() == 1


def test_windows_needs_an_oem_licence():
    device = DeviceFactory.build(installed_os="windows", oem_licence=False)
    with pytest.raises(ValidationError) as error:
        device.full_clean()
    assert "installed_os" in error.value.message_dict


def test_bulk_intake_from_pledge_counts():
    pledge = DonorPledgeFactory(laptops=3, tablets=2)
    assert pledge_counts(pledge)["laptop"] == 3
    devices = receive_devices({"laptop": 3, "tablet": 1}, pledge=pledge)
    assert len({d.inventory_code for d in devices}) == 4
    assert all(d.inventory_code.startswith("EQ-") for d in devices)
    assert pledge_counts(pledge) == {
        "laptop": 0,
        "desktop": 0,
        "screen": 0,
        "tablet": 1,
        "smartphone": 0,
        "other": 0,
    }
    assert StatusLog.objects.filter(content_type__model="device").count() == 4


def ready_devices(count):
    devices = [DeviceFactory(status=S.READY) for _ in range(count)]
    for device in devices:
        device.mark_stages()
        device.save()
    return devices


def test_lot_delivery_allocates_devices_to_site_stock(coordination_user):
    site = MediationSiteFactory()
    ready_devices(12)
    lot = build_lot(site, by=coordination_user)
    assert lot.reference.startswith("LOT-") and lot.devices.count() == 10
    with pytest.raises(ValidationError):
        build_lot(site, size=5)  # only 2 left
    lot.transition("delivered", by=coordination_user)
    stock = Device.objects.in_site_stock(site)
    assert stock.count() == 10
    assert all(d.transferred_at for d in stock)
    assert Device.objects.filter(status=S.READY, lot__isnull=True).count() == 2


def test_lot_cannot_be_delivered_with_devices_not_ready():
    site = MediationSiteFactory()
    ready_devices(2)
    lot = build_lot(site, size=2)
    device = lot.devices.first()
    device.transition(S.LENT)
    with pytest.raises(TransitionNotAllowed):
        lot.transition("delivered")
    lot.refresh_from_db()
    assert lot.status == "draft"


def test_handover_services():
    site, other = MediationSiteFactory(), MediationSiteFactory()
    ready_devices(1)
    lot = build_lot(site, size=1)
    lot.transition("delivered")
    device = lot.devices.get()
    assert allocated_device_for_handover(site, device.inventory_code.lower()) == device
    with pytest.raises(ValidationError) as error:
        allocated_device_for_handover(other, device.inventory_code)
    assert error.value.code == "not_in_stock" and device.inventory_code in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        allocated_device_for_handover(site, "EQ-0000-99999")
    assert error.value.code == "unknown_device"

    class Sheet:
        reference = "REM-2026-00001"

    record_handover(device, Sheet())
    device.refresh_from_db()
    assert device.status == S.HANDED_OVER and device.handed_over_at
    with pytest.raises(ValidationError) as error:
        allocated_device_for_handover(site, device.inventory_code)
    assert error.value.code == "not_in_stock"


def test_site_staff_see_only_their_stock(client, coordination_user, django_assert_max_num_queries):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    site, other = MediationSiteFactory(nom="Espace Alpha"), MediationSiteFactory(nom="Espace Beta")
    staff = UserFactory(username="med", groups=["Médiation"])
    staff.user_permissions.add(Permission.objects.get(codename="view_site_stock"))
    site.staff.add(staff)
    ready_devices(20)
    # The coordinator's campaign is served by both sites; its devices go to both.
    campaign = coordinated_campaign(coordination_user)
    Device.objects.update(campaign=campaign)
    for target in (site, other):
        lot = build_lot(target, size=10, campaign=campaign)
        lot.transition("delivered")
    client.force_login(staff)
    # Once to fill the process's caches (content types, Wagtail's site), so that the
    # bound counts the page's own queries whatever test ran before in this process.
    client.get("/admin/forms/device/stock/")
    with django_assert_max_num_queries(25):
        response = client.get("/admin/forms/device/stock/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Espace Alpha" in html and "Espace Beta" not in html
    client.force_login(coordination_user)
    html = client.get("/admin/forms/device/stock/").content.decode()
    assert "Espace Alpha" in html and "Espace Beta" in html


def test_permissions(client, communication_user, coordination_user):
    client.force_login(communication_user)
    for url in ("/admin/forms/device/", "/admin/forms/lot/", "/admin/forms/device/stock/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.get("/admin/snippets/forms/documentwording/").status_code in (302, 403)
    client.force_login(coordination_user)
    for url in ("/admin/forms/device/", "/admin/forms/lot/", "/admin/forms/devicebatch/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/snippets/forms/documentwording/").status_code == 200


def test_device_list_queries_are_bounded(client, coordination_user, django_assert_max_num_queries):
    client.force_login(coordination_user)
    site = MediationSiteFactory()
    for _ in range(30):
        DeviceFactory(site=site)
    client.get("/admin/forms/device/")
    with django_assert_max_num_queries(30):
        assert client.get("/admin/forms/device/").status_code == 200


def test_lot_admin_create_and_deliver(client, coordination_user):
    site = MediationSiteFactory()
    campaign = coordinated_campaign(coordination_user)
    campaign.sites.add(site)
    campaign.save()
    ready_devices(10)
    Device.objects.update(campaign=campaign)
    client.force_login(coordination_user)
    # A coordinator's lot belongs to one of their campaigns.
    response = client.post(
        "/admin/forms/lot/create/", {"site": site.pk, "size": 10, "price": "1.00", "notes": ""}
    )
    assert response.status_code == 200
    response = client.post(
        "/admin/forms/lot/create/",
        {"site": site.pk, "size": 10, "price": "1.00", "notes": "", "campaign": campaign.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from forms.logistics.models.lot import Lot

    lot = Lot.objects.get()
    response = client.post(f"/admin/forms/lot/transition/{lot.pk}/delivered/", {"note": ""})
    assert response.status_code == 302
    assert Device.objects.in_site_stock(site).count() == 10
    too_many = client.post(
        "/admin/forms/lot/create/",
        {"site": site.pk, "size": 10, "price": "1.00", "campaign": campaign.pk},
    )
    assert too_many.status_code == 200 and Lot.objects.count() == 1
