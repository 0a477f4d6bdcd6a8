"""A real redis-server for tests: started on a free loopback port in a temporary
folder, stopped and restarted by the test to play an outage.

Tests that need it take the ``redis_server`` fixture (tests/conftest.py). Without
``redis-server`` (or the ``redis`` Python package) they are skipped with the reason,
unless ``REQUIRE_REDIS=1`` (.ci/run), where they fail.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from portal.cache_backends import reset_failures

REDIS_SERVER = os.environ.get(
    "REDIS_SERVER", shutil.which("redis-server") or "/usr/bin/redis-server"
)
REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"


def missing_reason():
    if not os.path.exists(REDIS_SERVER):
        return f"redis-server not found at {REDIS_SERVER} (apt-get install redis-server)"
    try:
        import redis  # noqa: F401 - only whether the `redis` package is installed
    except ImportError:
        return "the redis Python package is missing (pip install '.[test]')"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One redis-server process; ``stop()`` kills it, ``start()`` brings it back on
    the same port, empty (nothing is saved to disk)."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    reason = missing_reason()
    if reason:
        if REQUIRE_REDIS:
            pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_caches(redis_server, settings):
    """The production cache layout on the real Redis (portal/settings/base.py with
    REDIS_URL): fail-soft default alias, pages under their own prefix."""
    if redis_server.process is None:
        redis_server.start()
    reset_failures()
    options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "retry_seconds": 0.5}
    default = {
        "BACKEND": "portal.cache_backends.FailSoftRedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": options,
    }
    settings.CACHES = {
        "default": default,
        "pages": {**default, "KEY_PREFIX": "pages", "TIMEOUT": 600},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
    }
    for cache in caches.all():
        cache.clear()
    yield settings
    if redis_server.process is None:  # a test left it stopped
        redis_server.start()
    reset_failures()
