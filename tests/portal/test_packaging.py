"""Installing the project raises no deprecation warning (setuptools' licence table,
editable installs of a project that packages nothing)."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_licence_is_an_spdx_string_with_a_setuptools_that_reads_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "AGPL-3.0-or-later"
    (requirement,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = int(re.search(r">=\s*(\d+)", requirement).group(1))
    assert minimum >= 77  # the first setuptools that takes an SPDX string


def test_make_installs_without_an_editable_install():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", makefile)
    assert installs and not any(" -e " in line or "--editable" in line for line in installs)
