"""Erasure wording as erasure tools and refurbishers write it, read into the
portal's methods. An unknown wording is reported with what is accepted, never
guessed."""

import functools
import re
import unicodedata

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forms.enums import ErasureMethod

# (method, words that name it), checked in this order: "shredded" (physical
# destruction) before "shred" (the overwriting tool), cryptographic erasure
# before the secure erase it is a variant of.
RULES = [
    (
        ErasureMethod.DESTRUCTION,
        (
            "destruction",
            "detruit",
            "broyage",
            "broye",
            "shredded",
            "shredder",
            "perforation",
            "percage",
            "physique",
            "physical",
        ),
    ),
    (
        ErasureMethod.CRYPTO_ERASE,
        ("crypto", "--ses=2", "-s 2", "ses 2", "sanitize crypto", "chiffrement"),
    ),
    (
        ErasureMethod.SECURE_ERASE,
        (
            "secure erase",
            "secure-erase",
            "security-erase",
            "securityerase",
            "secureerase",
            "hdparm",
            "ata erase",
            "nvme format",
            "nvme-format",
            "nvme sanitize",
            "blkdiscard",
            "effacement securise",
        ),
    ),
    (
        ErasureMethod.OVERWRITE,
        (
            "nwipe",
            "shredos",
            "dban",
            "blancco",
            "bitraser",
            "shred",
            "overwrite",
            "overwriting",
            "ecrasement",
            "reecriture",
            "zero fill",
            "zero-fill",
            "dd if=/dev/zero",
            "dd if=/dev/urandom",
        ),
    ),
]
# One pattern per method: any of its words, not inside another word.
PATTERNS = [
    (
        method,
        re.compile("|".join(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])" for word in words)),
    )
    for method, words in RULES
]
ACCEPTED = (
    "overwrite (nwipe, ShredOS, DBAN, Blancco, BitRaser, shred), "
    "secure_erase (ATA/hdparm secure erase, nvme format, blkdiscard), "
    "crypto_erase (nvme format --ses=2, crypto erase), "
    "destruction (destruction, broyage, shredded)"
)
PASSES = re.compile(r"(\d+)\s*(?:pass|passes|passe|passes|x\b)")
NEGATED_VERIFY = ("no verif", "not verif", "unverified", "non verif", "sans verif", "verify off")


def _plain(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


class UnknownErasure(ValueError):
    pass


def read_erasure(text):
    """``(method, passes or None, verified or None)`` for a tool's wording;
    raises UnknownErasure (a French message naming what is accepted)."""
    return _read(str(text or ""), get_language())


@functools.lru_cache(maxsize=1024)
def _read(text, language):
    # A file repeats a few wordings thousands of times: each is read once per language.
    plain = _plain(text)
    if not plain:
        return "", None, None
    method = None
    for value, label in ErasureMethod.choices:
        if plain in {value, _plain(label)}:
            method = value
    if method is None:
        for candidate, pattern in PATTERNS:
            if pattern.search(plain):
                method = candidate
                break
    if method is None:
        raise UnknownErasure(
            _("“%(value)s” is not an erasure method the portal knows. Accepted: %(accepted)s.")
            % {"value": text, "accepted": ACCEPTED}
        )
    passes = PASSES.search(plain)
    verified = None
    if any(word in plain for word in NEGATED_VERIFY):
        verified = False
    elif "verif" in plain:
        verified = True
    return method, int(passes.group(1)) if passes else None, verified
