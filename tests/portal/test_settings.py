"""Production settings pass Django's deployment checklist; settings come from the environment."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "t3st-Qm8#vR2pL9zW4yK7nB1xC6dF0gH5jS-aE3uI8oP2lM7kN4bV9cX",
    "ALLOWED_HOSTS": "ordinateurs-solidaires.example.fr",
    "DATABASE_URL": "postgres://portal:secret@db.example.fr:5432/portal",
}


def run_manage(*args, env):
    # A deployment has none of the test run's variables (browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright).
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secrets():
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_french_and_paris_time():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"


def test_sqlite_default_uses_the_concurrency_settings():
    from portal.settings.base import SQLITE_OPTIONS, database_from_env

    saved = os.environ.pop("DATABASE_URL", None)
    try:
        database = database_from_env("/tmp/x.sqlite3")
    finally:
        if saved is not None:
            os.environ["DATABASE_URL"] = saved
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"] == SQLITE_OPTIONS
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """WhiteNoise's manifest storage fails on any missing file a stylesheet refers to."""
    env = dict(PRODUCTION_ENV, STATIC_ROOT=str(tmp_path))
    result = run_manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    for asset in (
        "content/css/site.css",
        "forms/js/wizard.js",
        "content/vendor/leaflet/leaflet.js",
    ):
        assert f'"{asset}"' in manifest
