import json

from django.conf import settings

FIXTURES = settings.BASE_DIR / "fixtures" / "demo"


def read_fixture(name):
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return json.load(handle)
