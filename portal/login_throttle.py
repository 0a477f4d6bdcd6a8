"""Admin sign-in throttling (django-axes).

After ``AXES_FAILURE_LIMIT`` failed attempts for one user name, or from one
client address (``portal.ratelimit.client_ip``: the same trusted-proxy rule as
the form rate limit), signing in is refused for ``AXES_COOLOFF_TIME``, even
with the right password. ``manage.py axes_reset_username NAME`` (or
``axes_reset`` for everyone) lifts it earlier.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend

from portal.ratelimit import client_ip


def client_ip_for_axes(request):
    """The client address (same trusted-proxy rule as the form rate limit), or None
    when the request has none: axes stores it in an IP address column, which
    PostgreSQL checks (a login made without HTTP, e.g. force_login, has no address)."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            # Not a sign-in over HTTP (the test client's login(), a shell): nothing an
            # attacker can repeat, so nothing to count.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
