"""Coordinators build forms in the admin; publishing is refused while the form cannot work."""

import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from forms.engine.models.form_page import FormPage
from portal.roles import COORDINATION
from tests.factories import CampaignPageFactory, UserFactory, make_site_tree, pledge_steps

FIELD_DEFAULTS = {
    "core_field": {"core": "", "label": "", "help_text": "", "placeholder": "", "text": ""},
    "information": {"text": rich_text("<p>Info</p>")},
}
CONDITION = {"field": "", "value": ""}


def field_data(block_type, value):
    data = {**FIELD_DEFAULTS.get(block_type, {"label": "", "name": "", "help_text": ""}), **value}
    data["condition"] = {**CONDITION, **value.get("condition", {})}
    if "choices" in data:
        data["choices"] = streamfield([("item", choice) for choice in data["choices"]])
    for key in ("required",):
        if key in data and not data[key]:
            del data[key]  # an unticked box is absent from the POST
        elif key in data:
            data[key] = "on"
    return (block_type, data)


def steps_data(steps):
    return streamfield(
        [
            (
                "step",
                {
                    "title": value["title"],
                    "intro": value.get("intro", ""),
                    "condition": {**CONDITION, **value.get("condition", {})},
                    "fields": streamfield([field_data(*item) for item in value["fields"]]),
                },
            )
            for _, value in steps
        ]
    )


def form_page_data(steps, **overrides):
    data = {
        "title": "Promesse de don",
        "slug": "don",
        "kind": "pledge",
        "intro": "",
        "steps": steps_data(steps),
        "thank_you_text": rich_text("<p>Merci</p>"),
        "acknowledgement_subject": "",
        "acknowledgement_text": "",
        "notify_emails": "a@example.org, b@example.org",
        **overrides,
    }
    return nested_form_data(data)


class FormBuilderTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        home, index = make_site_tree()
        cls.campaign = CampaignPageFactory(parent=index, slug="mon-ordi")
        cls.coordinator = UserFactory(username="coord", groups=[COORDINATION])

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.add_url = f"/admin/pages/add/forms/formpage/{self.campaign.pk}/"

    def publish(self, steps, **overrides):
        return self.client.post(
            self.add_url, form_page_data(steps, **{"action-publish": "publish", **overrides})
        )

    def test_form_pages_live_under_campaigns(self):
        from content.models import CampaignPage

        self.assertAllowedParentPageTypes(FormPage, {CampaignPage})

    def test_coordinator_creates_and_publishes_a_pledge_form(self):
        response = self.publish(pledge_steps())
        self.assertEqual(response.status_code, 302)
        page = FormPage.objects.get(slug="don")
        self.assertTrue(page.live)
        self.assertEqual(len(page.definition.steps), 5)
        self.assertEqual(page.notify_email_list(), ["a@example.org", "b@example.org"])
        self.assertEqual(self.client.get(page.url).status_code, 302)

    def test_new_fields_get_a_technical_name_from_their_label(self):
        steps = pledge_steps()
        steps[4][1]["fields"].append(
            ("short_text", {"label": "Votre numéro de TVA", "required": False})
        )
        self.publish(steps)
        page = FormPage.objects.get(slug="don")
        self.assertIsNotNone(page.definition.field("votre_numero_de_tva"))

    def assert_refused(self, steps, message, **overrides):
        response = self.publish(steps, **overrides)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertFalse(FormPage.objects.filter(live=True).exists())

    def test_publish_refused_when_a_required_core_field_is_missing(self):
        steps = pledge_steps()
        steps[1][1]["fields"] = [
            f for f in steps[1][1]["fields"] if f[1].get("core") != "pledge:contact_email"
        ]
        self.assert_refused(
            steps, "Le champ obligatoire « courriel du contact » ne figure dans aucune étape."
        )

    def test_publish_refused_when_a_core_field_is_placed_twice(self):
        steps = pledge_steps()
        steps[1][1]["fields"].append(("core_field", {"core": "pledge:organisation_name"}))
        self.assert_refused(steps, "Le champ « nom de l&#x27;organisation » est placé 2 fois")

    def test_publish_refused_when_two_fields_share_a_name(self):
        steps = pledge_steps()
        steps[0][1]["fields"].append(("short_text", {"label": "A", "name": "doublon"}))
        steps[1][1]["fields"].append(("short_text", {"label": "B", "name": "doublon"}))
        self.assert_refused(steps, "Plusieurs champs ont le même nom technique « doublon »")

    def test_publish_refused_when_a_condition_points_at_a_later_or_missing_field(self):
        steps = pledge_steps()
        steps[0][1]["condition"] = {"field": "contact_name", "value": "x"}
        self.assert_refused(steps, "La condition de l&#x27;étape 1 porte sur « contact_name »")
        steps = pledge_steps()
        steps[1][1]["fields"][0][1]["condition"] = {"field": "inexistant", "value": "x"}
        self.assert_refused(steps, "porte sur « inexistant »")

    def test_a_draft_may_stay_incomplete(self):
        response = self.client.post(self.add_url, form_page_data([]))
        self.assertEqual(response.status_code, 302)
        page = FormPage.objects.get(slug="don")
        self.assertFalse(page.live)

    def test_renaming_a_label_keeps_the_technical_name(self):
        self.publish(pledge_steps())
        page = FormPage.objects.get(slug="don")
        steps = pledge_steps()
        steps[4][1]["fields"][3][1]["label"] = "Par quel moyen nous avez-vous connus ?"
        steps[4][1]["fields"][3][1]["name"] = "nouveau_nom"  # even an edited name is put back
        data = steps_data(steps)
        # Keep the block ids, as the admin does.
        for index, child in enumerate(page.steps[4].value["fields"]):
            data[f"steps-4-value-fields-{index}-id"] = child.id
        for index, step in enumerate(page.steps):
            data[f"steps-{index}-id"] = step.id
        response = self.client.post(
            f"/admin/pages/{page.pk}/edit/",
            form_page_data(steps, **{"action-publish": "publish"}) | data,
        )
        self.assertEqual(response.status_code, 302)
        page = FormPage.objects.get(pk=page.pk)
        field = page.definition.field("connu_par")
        self.assertEqual(field.label, "Par quel moyen nous avez-vous connus ?")
        self.assertIsNone(page.definition.field("nouveau_nom"))

    def test_preview_shows_every_step(self):
        response = self.client.post(f"{self.add_url}preview/", form_page_data(pledge_steps()))
        self.assertEqual(response.json()["is_valid"], True)
        html = self.client.get(f"{self.add_url}preview/").content.decode()
        for title in ("Votre organisation", "Contact", "Adresse", "Matériel et engagements"):
            self.assertIn(title, html)
        self.assertIn("Comment nous avez-vous connus ?", html)


@pytest.mark.django_db
def test_communication_staff_can_create_form_pages_only_if_allowed(
    client, communication_user, campaign_index
):
    campaign = CampaignPageFactory(parent=campaign_index)
    client.force_login(communication_user)
    # Pages are content: communication staff may edit form pages, never their records.
    assert client.get(f"/admin/pages/add/forms/formpage/{campaign.pk}/").status_code == 200
    assert client.get("/admin/forms/donorpledge/").status_code in (302, 403)
