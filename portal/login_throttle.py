"""Admin sign-in throttling (django-axes).

After ``AXES_FAILURE_LIMIT`` failed attempts for one user name, or from one
client address (``forms.ratelimit.client_ip``: the same trusted-proxy rule as
the form rate limit), signing in is refused for ``AXES_COOLOFF_TIME``, even
with the right password. ``manage.py axes_reset_username NAME`` (or
``axes_reset`` for everyone) lifts it earlier.
"""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            # Not a sign-in over HTTP (the test client's login(), a shell): nothing an
            # attacker can repeat, so nothing to count.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
