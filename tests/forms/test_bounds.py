"""Every field and import column has a bound a person understands, in French."""

import datetime

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.utils import timezone

from forms.engine.definition import FieldDef
from forms.engine.fields import build_form_field
from forms.engine.kinds import get_kind
from forms.kinds.pledge.models import DonorPledge
from portal.bounds import NUMBER_CEILING, QUANTITY_DEFAULT_MAX
from tests.factories import DeviceFactory, coordinated_campaign
from tests.forms.conftest import VALID_ANSWERS

TODAY = timezone.localdate()
FAR_FUTURE = datetime.date(2999, 1, 1)


def build(type_, kind="pledge", core=False, name="x", **options):
    item = FieldDef(
        block_id="", type=type_, name=name, label="X", required=True, core=core, **options
    )
    return build_form_field(item, get_kind(kind))


def errors(form_field, value):
    try:
        form_field.clean(value)
    except forms.ValidationError as error:
        return error.messages
    return []


def test_numbers_default_to_0_to_10000_and_the_editor_cannot_pass_the_ceiling():
    number = build("number")
    assert errors(number, "10000") == [] and errors(number, "0") == []
    assert errors(number, "10001") == [
        "Assurez-vous que cette valeur est inférieure ou égale à 10000."
    ]
    assert errors(number, "-1")
    assert errors(number, str(2**63))
    assert errors(build("number", max_value=50), "51")  # the editor may lower it…
    raised = build("number", max_value=10**12)  # …never raise it past the ceiling
    assert raised.max_value == NUMBER_CEILING and errors(raised, str(NUMBER_CEILING + 1))


@pytest.mark.django_db
def test_core_quantities_stay_within_the_model_ceiling():
    laptops = build("number", core=True, name="laptops")
    assert laptops.max_value == QUANTITY_DEFAULT_MAX
    assert errors(laptops, str(2**63)) and errors(laptops, "1000000")
    raised = build("number", core=True, name="laptops", max_value=10**9)
    assert raised.max_value == 100_000  # the model's own MaxValueValidator
    adults = build("number", kind="prescription", core=True, name="household_adults")
    assert adults.max_value == 30


@pytest.mark.django_db
def test_a_huge_quantity_at_the_last_step_is_a_french_error_not_a_crash(walk):
    walk.fill(steps=("etape-1", "etape-2", "etape-3"))
    for value in (str(2**63), str(2**31), "1000000"):
        response = walk.post("etape-5", dict(VALID_ANSWERS["etape-5"], laptops=value))
        assert response.status_code == 200
        assert "inférieure ou égale à 10000" in response.content.decode()
    assert walk.post("etape-5", VALID_ANSWERS["etape-5"]).status_code == 302
    assert walk.post("verification").status_code == 302
    assert DonorPledge.objects.get().laptops == 25


def test_dates_stay_within_a_window_around_today():
    date = build("date")
    assert errors(date, TODAY.isoformat()) == []
    message = errors(date, FAR_FUTURE.isoformat())
    assert message and message[0].startswith("Saisissez une date entre le")
    assert date.widget.attrs["max"] > TODAY.isoformat() > date.widget.attrs["min"]


@pytest.mark.django_db
def test_core_dates_have_their_own_window():
    handover = build("date", kind="handover", core=True, name="handover_date")
    assert errors(handover, TODAY.isoformat()) == []
    assert errors(handover, (TODAY + datetime.timedelta(days=90)).isoformat())
    assert errors(handover, (TODAY - datetime.timedelta(days=3 * 366)).isoformat())


@pytest.mark.django_db
def test_one_megabyte_of_text_is_refused_everywhere_in_forms():
    megabyte = "x" * 1_000_000
    assert errors(build("long_text"), megabyte)
    assert errors(build("short_text"), megabyte)
    assert errors(build("long_text", core=True, name="pickup_availability"), megabyte)


@pytest.mark.django_db
def test_admin_edits_are_bounded(client, coordination_user):
    device = DeviceFactory(campaign=coordinated_campaign(coordination_user))
    client.force_login(coordination_user)
    url = f"/admin/forms/device/edit/{device.pk}/"
    form = client.get(url).context["form"]
    data = {}
    for name, bound in form.fields.items():
        value = form.initial.get(name, bound.initial)
        if value is None or value is False:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    data.update(notes="x" * 1_000_000, erasure_date="2999-01-01")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une date entre le" in html
    assert "au plus 10000 caractères" in html
    device.refresh_from_db()
    assert device.notes == "" and device.erasure_date is None


@pytest.mark.django_db
def test_imports_refuse_out_of_window_dates_and_huge_cells(tmp_path, capsys):
    path = tmp_path / "devices.csv"
    path.write_text(
        "inventory_code,type,brand,model,serial_number,status,erasure_date\n"
        "EQ-1,laptop,Dell,,S1,received,2999-01-01\n"
        f"EQ-2,laptop,{'D' * 20_000},,S2,received,\n"
    )
    with pytest.raises(CommandError):
        call_command("import_devices", str(path))
    output = capsys.readouterr()
    text = output.out + output.err
    assert "Saisissez une date entre le" in text
    assert "rejected: 2" in text and "au plus sont acceptés" in text
