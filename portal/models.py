# The module also makes Django emit post_migrate for this app, which synchronises
# the staff groups (see portal.roles).

from django.db import models


class RateLimitCounter(models.Model):
    """One client's request count in one time window (forms/ratelimit.py).

    Incremented by a single INSERT … ON CONFLICT DO UPDATE … RETURNING statement:
    exact under concurrency, and no failed write per request."""

    bucket = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)  # Unix time when the window closes

    class Meta:
        verbose_name = "rate-limit counter"

    def __str__(self):
        return f"{self.bucket}: {self.count}"
