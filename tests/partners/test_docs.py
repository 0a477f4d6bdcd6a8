"""Every curl example of docs/API.md, run as written against a live server."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from forms.kinds.prescription.models import PriorityCriterion
from forms.partners.keys import create_key
from tests.partners.test_live import wagtail_base_data  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
API_MD = Path(__file__).resolve().parents[2] / "docs" / "API.md"


def examples():
    return re.findall(r"```sh\n(.*?)```", API_MD.read_text(), flags=re.S)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_examples_of_the_documentation_work(
    live_server, campaign, prescription_form, sites
):
    _key, token = create_key("Logiciel", [campaign])
    env = {
        **os.environ,
        "HOST": live_server.url,
        "KEY": token,
        "SITE": str(sites["dax"].pk),
        "CRITERION": str(PriorityCriterion.objects.filter(order=1).order_by("pk").first().pk),
    }

    def run(script):
        done = subprocess.run(  # noqa: S603 - the documentation's own examples
            ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        return json.loads(done.stdout)

    send, invalid, follow, since, openapi = examples()
    created = run(send)
    assert created["status"] == "received", created
    assert run(send) == created  # the same Idempotency-Key: the first answer
    env["REFERENCE"] = created["reference"]
    errors = run(invalid)["errors"]
    assert "postcode" in errors and "prescriber_kind" in errors
    assert run(follow)["stages"][0]["status"] == "received"
    assert [p["reference"] for p in run(since)["prescriptions"]] == [created["reference"]]
    assert run(openapi)["openapi"].startswith("3.")
