"""The French catalogue is complete and its compiled form is committed and current."""

import polib
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "portal" / "locale" / "fr" / "LC_MESSAGES"


def test_every_interface_string_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    missing = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    assert missing == []


def test_compiled_catalogue_matches_the_sources():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural) for entry in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (entry.msgstr, entry.msgstr_plural), (
            f"{entry.msgid!r} is not compiled: run `make messages`"
        )
