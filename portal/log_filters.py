"""Logging filters: no follow-up token or verification code reaches a log.

Django logs every 404 with its path ("Not Found: /suivi-don/<token>/"), so a
revoked or mistyped follow-up link would write its secret to the logs. The
filter masks the secret part of those paths in every record it sees.
"""

import logging
import re

MASK = "[masqué]"
SECRET_PATHS = re.compile(
    r"(/(?:suivi-don|suivi/prescription|verification)/)[^/\s?\"']+",
)


def redact(text):
    return SECRET_PATHS.sub(lambda match: match.group(1) + MASK, text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
