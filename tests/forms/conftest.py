import re

import pytest

from tests.factories import CampaignPageFactory, FormPageFactory

VALID_ANSWERS = {
    "etape-1": {
        "organisation_name": "Atlantique Logistique",
        "organisation_kind": "company",
        "siret": "732 829 320 00074",
    },
    "etape-2": {
        "contact_name": "Sophie Martin",
        "contact_email": "sophie@example.com",
        "contact_phone": "05 46 12 34 56",
    },
    "etape-3": {
        "address": "12 rue du Port",
        "postcode": "17000",
        "city": "La Rochelle",
        "pickup_address_differs": "no",
    },
    "etape-5": {
        "laptops": "25",
        "accessories": ["chargers", "mice"],
        "erasure_by": "programme",
        "connu_par": "Presse",
        "terms_accepted": "on",
    },
}


class Walk:
    """A person walking through a form page, step by step, by its named URLs."""

    def __init__(self, client, page):
        self.client = client
        self.page = page
        response = client.get(page.url)
        assert response.status_code == 302
        self.token = re.search(r"/([0-9a-f]{32})/", response["Location"]).group(1)
        self.first_url = response["Location"]

    @classmethod
    def resume(cls, client, page, step_url):
        """The walk whose step address the person already has (e.g. from a link)."""
        walk = cls.__new__(cls)
        walk.client, walk.page = client, page
        walk.token = re.search(r"/([0-9a-f]{32})/", step_url).group(1)
        walk.first_url = step_url
        return walk

    def url(self, step):
        return f"{self.page.url}{self.token}/{step}/"

    @property
    def thanks_url(self):
        return f"{self.page.url}{self.token}/merci/"

    def get(self, step, **params):
        return self.client.get(self.url(step), params)

    def post(self, step, answers=None, **extra):
        data = {f"{step}-{name}": value for name, value in (answers or {}).items()}
        data[f"form_{self.page.pk}_{self.token}-current_step"] = step
        data.update(extra)
        return self.client.post(self.url(step), data)

    def fill(self, steps=("etape-1", "etape-2", "etape-3", "etape-5"), answers=VALID_ANSWERS):
        self.get(steps[0])
        for step in steps:
            response = self.post(step, answers[step])
            assert response.status_code == 302, response.content.decode()[:3000]
        return response


@pytest.fixture
def campaign(campaign_index):
    return CampaignPageFactory(
        parent=campaign_index, title="Mon ordi est une chance", slug="mon-ordi"
    )


@pytest.fixture
def form_page(campaign):
    return FormPageFactory(parent=campaign)


@pytest.fixture
def walk(client, form_page):
    return Walk(client, form_page)
