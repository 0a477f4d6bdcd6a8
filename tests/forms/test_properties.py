"""Property-based tests (hypothesis): whatever a person or a file sends to a
public form step, an import or an admin edit view, the answer is never a server error,
and nothing gets stored that an export cannot write."""

import contextlib
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import MediationSite
from tests.factories import (
    DeviceBatchFactory,
    DeviceFactory,
    DonorPledgeFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    coordinated_campaign,
)
from tests.forms.conftest import VALID_ANSWERS, Walk
from tests.forms.test_prescription_walk import answers as prescription_answers
from tests.forms.test_prescription_walk import prescription_form, sites  # noqa: F401
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

# Anything a browser can send: every character but lone surrogates (control
# characters, NUL, formula starters, right-to-left marks…), huge and negative
# numbers as text, far dates, and now and then a megabyte.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)
HOSTILE = st.one_of(
    TEXT,
    st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "\x00", "\x01", "-", "\t\r"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.just("x" * 100_000),
)
# Text that a field may well accept, so that it gets stored.
STORABLE = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40).filter(
    str.strip
)
PROPERTY = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.FORM_RATE_LIMIT = (10**9, 600)


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code


def assert_exports_open(client, coordination_user):
    client.force_login(coordination_user)
    for url in (
        "/admin/forms/donorpledge/",
        "/admin/forms/prescription/",
        "/admin/forms/handoversheet/",
        "/admin/forms/device/",
    ):
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200, url
        openpyxl.load_workbook(io.BytesIO(response.content))
        response = client.get(url, {"export": "csv"})
        assert response.status_code == 200, url
    response = client.get(reverse("content_mediationsite:index"), {"standard_export": "xlsx"})
    openpyxl.load_workbook(io.BytesIO(response.content))
    client.logout()


# Public form steps ---------------------------------------------------------
@PROPERTY
@given(data=st.data())
def test_every_pledge_step_answers_any_input_without_error(client, form_page, data):
    walk = Walk(client, form_page)
    walk.get("etape-1")
    for step in ("etape-1", "etape-2", "etape-3", "etape-5"):
        fuzzed = {name: data.draw(HOSTILE, label=f"{step}-{name}") for name in VALID_ANSWERS[step]}
        assert_no_server_error(walk.post(step, fuzzed))
        assert_no_server_error(walk.post(step, VALID_ANSWERS[step]))
    assert_no_server_error(walk.post("verification"))


@PROPERTY
@given(data=st.data())
def test_whatever_a_pledge_stores_exports(client, form_page, coordination_user, data):
    answers = {step: dict(values) for step, values in VALID_ANSWERS.items()}
    for step, name in (
        ("etape-1", "organisation_name"),
        ("etape-2", "contact_name"),
        ("etape-3", "address"),
        ("etape-3", "city"),
    ):
        answers[step][name] = data.draw(STORABLE, label=name)
    answers["etape-5"]["laptops"] = str(data.draw(st.integers(0, 10_000)))
    walk = Walk(client, form_page)
    walk.get("etape-1")
    for step in ("etape-1", "etape-2", "etape-3", "etape-5"):
        assert_no_server_error(walk.post(step, answers[step]))
    assert_no_server_error(walk.post("verification"))
    assert_exports_open(client, coordination_user)


@PROPERTY
@given(data=st.data())
def test_every_prescription_step_answers_any_input_without_error(
    client,
    prescription_form,  # noqa: F811 - the fixture imported above
    sites,  # noqa: F811
    coordination_user,
    data,
):
    valid = prescription_answers(sites)
    walk = Walk(client, prescription_form)
    walk.get("etape-1")
    for step, values in valid.items():
        fuzzed = {name: data.draw(HOSTILE, label=f"{step}-{name}") for name in values}
        assert_no_server_error(walk.post(step, fuzzed))
        assert_no_server_error(walk.post(step, values))
    assert_no_server_error(walk.post("verification"))
    assert_exports_open(client, coordination_user)


# Imports -------------------------------------------------------------------
DEVICE_COLUMNS = ["inventory_code", "type", "brand", "model", "serial_number", "status"]


def csv_cell(value):
    return '"' + value.replace('"', '""') + '"'


@PROPERTY
@given(rows=st.lists(st.lists(HOSTILE, min_size=6, max_size=6), min_size=1, max_size=4))
def test_device_import_answers_any_file_without_error(
    client, coordination_user, tmp_path_factory, rows
):
    lines = [",".join(DEVICE_COLUMNS)]
    for row in rows:
        row[1], row[5] = "laptop", "received"  # keep some rows importable
        lines.append(",".join(csv_cell(cell) for cell in row))
    path = tmp_path_factory.mktemp("devices") / "devices.csv"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    # A clear refusal (rows named with their errors) is fine; a crash is not.
    with contextlib.suppress(CommandError):
        call_command("import_devices", str(path), "--partial", stdout=io.StringIO())
    assert_exports_open(client, coordination_user)


@pytest.fixture
def seed_site():
    return MediationSiteFactory(identifier="fuzz-seed")


@PROPERTY
@given(cells=st.lists(HOSTILE, min_size=3, max_size=3))
def test_mediation_site_import_answers_any_file_without_error(
    client, coordination_user, tmp_path_factory, seed_site, cells
):
    from content import importexport

    text = importexport.export_csv(MediationSite.objects.filter(pk=seed_site.pk))
    header, row = text.splitlines()[:2]
    columns = row.split(",")
    for index, value in zip((1, 2, 3), cells, strict=True):
        columns[index] = csv_cell(value)
    path = tmp_path_factory.mktemp("sites") / "sites.csv"
    path.write_text(header + "\n" + ",".join(columns) + "\n")
    with contextlib.suppress(CommandError):
        call_command("import_mediation_sites", str(path), stdout=io.StringIO())
    assert_exports_open(client, coordination_user)


# Admin edit views ------------------------------------------------------------
@pytest.fixture
def records(coordination_user):
    """Records of a campaign the coordinator coordinates (they see no other)."""
    campaign = coordinated_campaign(coordination_user)
    site = MediationSiteFactory()
    return {
        "donorpledge": DonorPledgeFactory(campaign=campaign),
        "prescription": PrescriptionFactory(site=site, campaign=campaign),
        "handoversheet": HandoverSheetFactory(site=site, campaign=campaign),
        "device": DeviceFactory(site=site, campaign=campaign),
        "devicebatch": DeviceBatchFactory(campaign=campaign),
    }


SKIPPED = ("csrfmiddlewaretoken", "TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM", "MAX_NUM", "next")


@pytest.mark.parametrize(
    "model", ["donorpledge", "prescription", "handoversheet", "device", "devicebatch"]
)
def test_every_admin_edit_view_answers_any_input_without_error(
    client, coordination_user, records, model
):
    record = records[model]
    url = f"/admin/forms/{model}/edit/{record.pk}/"

    @PROPERTY
    @given(data=st.data())
    def edit(data):
        client.force_login(coordination_user)
        form = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
        for name in list(form):
            if not name.endswith(SKIPPED) and data.draw(st.booleans(), label=f"fuzz {name}"):
                form[name] = data.draw(HOSTILE, label=name)
        assert_no_server_error(client.post(url, form))
        assert_exports_open(client, coordination_user)

    edit()
