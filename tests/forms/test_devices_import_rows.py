"""The device import's row path: what it writes besides the devices (a status log
per creation and change, with its author; the loans of lent devices and theirs),
the model's own messages as ``full_clean`` gives them, and devices found again by
their refurbisher's own reference when the file has neither their code nor their
serial number."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from forms.engine.models.records import StatusLog
from forms.logistics import device_import
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from tests.factories import DeviceFactory, OrganisationFactory, UserFactory
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db


def run(text, **kwargs):
    return device_import.import_devices(
        device_import.read_file(text.encode()), dry_run=False, **kwargs
    )


def logs(model):
    return sorted(
        StatusLog.objects.filter(content_type__model=model).values_list(
            "object_id", "from_status", "to_status", "by__username", "note"
        )
    )


def test_each_creation_change_and_loan_is_logged_with_its_author():
    author = UserFactory(username="atelier")
    DeviceFactory(inventory_code="EQ-OLD", status="ready", serial_number="OLD")
    with override("fr"):
        report = run(
            "inventory_code,serial_number,type,status,borrower\n"
            "EQ-OLD,OLD,laptop,lent,Médiathèque\n"
            "EQ-NEW,N1,laptop,ready,\n"
            ",N2,laptop,lent,\n",
            by=author,
        )
    assert (report.created, report.updated, report.loans_created) == (2, 1, 2)
    old, new, third = (
        Device.objects.get(serial_number=serial).pk for serial in ("OLD", "N1", "N2")
    )
    note = "Import de fichier"
    assert logs("device") == sorted(
        [
            (old, "ready", "lent", "atelier", note),
            (new, "", "ready", "atelier", note),
            (third, "", "lent", "atelier", note),
        ]
    )
    loans = dict(Loan.objects.values_list("device_id", "pk"))
    assert logs("loan") == sorted(
        [(loans[pk], "", "ongoing", "atelier", note) for pk in (old, third)]
    )
    # without author (the command): logged all the same
    run("serial_number,type,status\nN3,laptop,ready\n")
    assert StatusLog.objects.filter(by=None, to_status="ready").count() == 1


def test_the_models_messages_are_those_of_full_clean():
    too_long = "B" * 81
    with pytest.raises(ValidationError) as expected:
        Device(brand=too_long, inventory_code="X").full_clean(validate_unique=False)
    report = device_import.import_devices(
        device_import.read_file(
            f"serial_number,type,status,brand,os,oem_licence\nS1,laptop,ready,{too_long},,\n"
            "S2,laptop,ready,HP,windows,non\n".encode()
        )
    )
    rows = {row.line: row.errors for row in report.rejected_rows}
    assert rows[2] == [("brand", too_long, expected.value.message_dict["brand"][0])]
    with pytest.raises(ValidationError) as windows:
        Device(installed_os="windows", oem_licence=False).clean()
    assert rows[3] == [("os", "windows", windows.value.message_dict["installed_os"][0])]


REFERENCES = "refurbisher,refurbisher_reference,serial_number,type,status,brand\n"


def test_a_row_finds_its_device_by_the_refurbishers_reference():
    atelier = OrganisationFactory(name="Atelier Sud", is_refurbisher=True)
    other = OrganisationFactory(name="Atelier Nord", is_refurbisher=True)
    known = DeviceFactory(
        inventory_code="EQ-R1", refurbisher=atelier, refurbisher_reference="REC-1", serial_number=""
    )
    twin = DeviceFactory(
        inventory_code="EQ-R2", refurbisher=other, refurbisher_reference="REC-1", serial_number=""
    )
    report = run(REFERENCES + "Atelier Sud,REC-1,SN-NEW,laptop,ready,Fujitsu\n")
    assert (report.created, report.updated, report.rejected) == (0, 1, 0)
    known.refresh_from_db()
    twin.refresh_from_db()
    assert (known.brand, known.serial_number) == ("Fujitsu", "SN-NEW") and twin.brand != "Fujitsu"
    # the refurbisher of the import, for rows naming none
    report = run(
        "refurbisher_reference,serial_number,type,status,brand\nREC-1,SN-2,laptop,ready,Acer\n",
        refurbisher=other,
    )
    assert (report.created, report.updated) == (0, 1)
    twin.refresh_from_db()
    assert twin.brand == "Acer" and Device.objects.count() == 2
    # a serial number found wins; a reference of another refurbisher matches nothing
    report = run(REFERENCES + "Atelier Nord,REC-9,SN-NEW,laptop,ready,HP\n")
    assert (report.created, report.updated) == (0, 1)
    known.refresh_from_db()
    assert known.brand == "HP" and known.refurbisher == other


def test_a_reference_matched_twice_or_of_another_code_is_refused():
    atelier = OrganisationFactory(name="Atelier Sud", is_refurbisher=True)
    DeviceFactory(inventory_code="EQ-R1", refurbisher=atelier, refurbisher_reference="REC-1")
    report = device_import.import_devices(
        device_import.read_file(
            (
                "inventory_code," + REFERENCES + ",Atelier Sud,REC-1,S1,laptop,ready,A\n"
                ",Atelier Sud,REC-1,S2,laptop,ready,B\n"
                "EQ-Z9,Atelier Sud,REC-1,S3,laptop,ready,C\n"
            ).encode()
        )
    )
    assert (report.updated, report.rejected) == (1, 2)
    twice = "La référence du reconditionneur « REC-1 » apparaît plusieurs fois dans le fichier."
    assert {row.line: row.errors for row in report.rejected_rows} == {
        3: [("refurbisher_reference", "REC-1", twice)],
        4: [
            (
                "refurbisher_reference",
                "REC-1",
                "La référence du reconditionneur « REC-1 » est celle de l'équipement EQ-R1.",
            )
        ],
    }


def test_the_edit_form_shows_what_is_to_complete_until_it_is_filled_in(client, superuser):
    """A lent device imported without borrower: its edit form says the borrower is to
    complete; the whole form posted back with the borrower clears it and names the
    loan's borrower."""
    run("serial_number,type,status\nSN-L,laptop,lent\n")
    device = Device.objects.get(serial_number="SN-L")
    assert device.to_complete == ["lent_to"]
    client.force_login(superuser)
    url = f"/admin/forms/device/edit/{device.pk}/"
    html = client.get(url).content.decode()
    assert "a laissé vides ces informations" in html and "<li>prêté ou donné à</li>" in html
    assert 'role="status"' in html
    data = read_form(html, action_contains="/edit/").data()
    data["lent_to"] = "Médiathèque de Dax"
    response = client.post(url, data)
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.to_complete == [] and device.lent_to == "Médiathèque de Dax"
    assert Loan.objects.get(device=device).borrower_name == "Médiathèque de Dax"
    html = client.get(url).content.decode()
    assert "a laissé vides ces informations" not in html
