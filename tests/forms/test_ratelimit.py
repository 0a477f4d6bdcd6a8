"""The form rate limit: exact under concurrency, one write per request that
never fails, and a client address the client cannot choose."""

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from portal.models import RateLimitCounter
from portal.ratelimit import client_ip, is_rate_limited


def request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


def test_by_default_the_socket_address_counts_and_x_forwarded_for_is_ignored():
    assert client_ip(request(forwarded="1.2.3.4")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote the leftmost entry; the proxy appended the real address.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Not through every proxy, or not an address: only the socket is trusted.
        (2, "198.51.100.7", "203.0.113.9"),
        (1, "", "203.0.113.9"),
        (1, "not-an-address", "203.0.113.9"),
    ],
)
def test_trusted_proxies_are_counted_from_the_right(proxies, forwarded, expected):
    with override_settings(RATE_LIMIT_TRUSTED_PROXIES=proxies):
        assert client_ip(request(forwarded=forwarded)) == expected


@pytest.mark.django_db
def test_a_fresh_x_forwarded_for_per_request_does_not_bypass_the_limit():
    with override_settings(RATE_LIMIT_TRUSTED_PROXIES=1):
        answers = [
            is_rate_limited(request(forwarded=f"10.9.{n}.1, 198.51.100.7"), "t", 3, 600)
            for n in range(5)
        ]
    assert answers == [False, False, False, True, True]


@pytest.mark.django_db
def test_each_request_costs_one_statement_that_cannot_fail():
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            is_rate_limited(request(), "t", 100, 600)
    writes = [q["sql"] for q in queries.captured_queries if "ratelimitcounter" in q["sql"].lower()]
    upserts = [sql for sql in writes if "ON CONFLICT" in sql]
    assert len(upserts) == 5  # one atomic upsert per request…
    assert len(writes) == 6  # …plus one clean-up of closed windows when a window opens
    assert RateLimitCounter.objects.get().count == 5


@pytest.mark.django_db(transaction=True)
def test_counts_exactly_under_concurrency():
    threads, per_thread, limit = 8, 25, 60
    answers, errors = [], []
    start = threading.Barrier(threads)

    def submit():
        try:
            start.wait()
            for _ in range(per_thread):
                answers.append(is_rate_limited(request(), "concurrent", limit, 600))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert RateLimitCounter.objects.get().count == threads * per_thread
    assert answers.count(False) == limit  # exactly `limit` requests got through
