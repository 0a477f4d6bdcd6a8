"""Editors create, preview and publish pages through the Wagtail admin."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import CampaignIndexPage, CampaignPage, HomePage, StandardPage
from portal.roles import COMMUNICATION
from tests.factories import ImageFactory, UserFactory, make_site_tree


def listblock(items):
    """Form data of a ListBlock: the same shape as a stream of "item" blocks."""
    return streamfield([("item", item) for item in items])


def campaign_form_data(image, target_page, **overrides):
    data = {
        "title": "Mon ordi est une chance",
        "slug": "mon-ordi-est-une-chance",
        "territory": "Charente-Maritime",
        "start_date": "2020-11-16",
        "end_date": "2021-03-15",
        "goal": 500,
        "status": "running",
        "summary": "Les entreprises donnent leurs ordinateurs.",
        "listing_image": image.pk,
        "body": streamfield(
            [
                (
                    "hero",
                    {
                        "title": "Votre ordinateur peut changer une vie",
                        "text": "Texte",
                        "image": {
                            "image": image.pk,
                            "decorative": False,
                            "alt_text": "Une famille et son ordinateur",
                        },
                    },
                ),
                ("rich_text", rich_text("<p>Comment ça marche</p>")),
                (
                    "key_figures",
                    {
                        "heading": "Chiffres",
                        "figures": listblock(
                            [{"value": 312, "goal": 500, "label": "ordinateurs remis"}]
                        ),
                    },
                ),
                (
                    "timeline",
                    {
                        "heading": "Étapes",
                        "steps": listblock(
                            [{"date": "2020-11-16", "title": "Lancement", "text": ""}]
                        ),
                    },
                ),
                (
                    "eligibility_criteria",
                    {
                        "heading": "Critères",
                        "intro": "",
                        "criteria": listblock(
                            [
                                {"title": "Famille avec enfants", "description": ""},
                                {"title": "Demandeur d'emploi", "description": ""},
                            ]
                        ),
                    },
                ),
                (
                    "partners",
                    {
                        "heading": "Partenaires",
                        "partners": listblock(
                            [{"name": "FACE", "logo": image.pk, "url": "https://example.org/"}]
                        ),
                    },
                ),
                (
                    "faq",
                    {
                        "heading": "FAQ",
                        "questions": listblock(
                            [
                                {
                                    "question": "Que deviennent mes données ?",
                                    "answer": rich_text("<p>Elles sont effacées.</p>"),
                                }
                            ]
                        ),
                    },
                ),
                ("quote", {"quote": "Merci !", "author": "Une maman", "role": "bénéficiaire"}),
                (
                    "call_to_action",
                    {
                        "heading": "Agir",
                        "text": "",
                        "buttons": listblock(
                            [
                                {
                                    "label": "En savoir plus",
                                    "page": target_page.pk,
                                    "url": "",
                                    "style": "primary",
                                }
                            ]
                        ),
                    },
                ),
                (
                    "live_figures",
                    {
                        "heading": "En direct",
                        "figures": listblock(
                            [
                                {"metric": "handed_over_devices", "label": "", "goal": 400},
                                {
                                    "metric": "donor_organisations",
                                    "label": "entreprises donatrices",
                                    "goal": "",
                                },
                            ]
                        ),
                    },
                ),
            ]
        ),
        "seo_title": "Donnez vos ordinateurs",
        "search_description": "Une campagne de dons d'ordinateurs.",
        "notification_rules": inline_formset([]),  # its "Notifications" tab: no rule
    }
    data.update(overrides)
    return nested_form_data(data)


class PageEditingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = make_site_tree()
        cls.image = ImageFactory()
        cls.editor = UserFactory(username="editor", groups=[COMMUNICATION])

    def setUp(self):
        self.client.force_login(self.editor)

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(CampaignPage, {CampaignIndexPage})
        self.assertAllowedParentPageTypes(CampaignIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(HomePage, CampaignPage)

    def test_communication_editor_creates_a_campaign_with_every_block(self):
        self.assertCanCreate(self.index, CampaignPage, campaign_form_data(self.image, self.home))
        page = CampaignPage.objects.get(slug="mon-ordi-est-une-chance")
        self.assertEqual(
            [block.block_type for block in page.body],
            [
                "hero",
                "rich_text",
                "key_figures",
                "timeline",
                "eligibility_criteria",
                "partners",
                "faq",
                "quote",
                "call_to_action",
                "live_figures",
            ],
        )

    def test_communication_editor_publishes_a_campaign(self):
        data = campaign_form_data(self.image, self.home, **{"action-publish": "publish"})
        url = f"/admin/pages/add/content/campaignpage/{self.index.pk}/"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        page = CampaignPage.objects.get(slug="mon-ordi-est-une-chance")
        self.assertTrue(page.live)
        response = self.client.get(page.url)
        self.assertContains(response, "312</strong> / 500")
        self.assertContains(response, "0</strong> / 400")  # live: nothing handed over yet
        self.assertContains(response, "Ordinateurs remis")
        self.assertContains(response, "entreprises donatrices")
        self.assertContains(response, "<summary>Que deviennent mes données ?</summary>", html=True)

    def test_editor_previews_a_campaign(self):
        url = f"/admin/pages/add/content/campaignpage/{self.index.pk}/preview/"
        data = campaign_form_data(self.image, self.home)
        response = self.client.post(url, data)
        self.assertEqual(response.json(), {"is_valid": True, "is_available": True})
        response = self.client.get(url)
        self.assertContains(response, "Votre ordinateur peut changer une vie")

    def test_end_date_before_start_date_is_refused_in_french(self):
        data = campaign_form_data(self.image, self.home, end_date="2019-01-01")
        url = f"/admin/pages/add/content/campaignpage/{self.index.pk}/"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "La date de fin ne peut pas précéder la date de début.")
        self.assertFalse(CampaignPage.objects.exists())

    def test_a_button_needs_a_page_or_an_address(self):
        data = campaign_form_data(self.image, self.home)
        data["body-8-value-buttons-0-value-page"] = ""
        response = self.client.post(f"/admin/pages/add/content/campaignpage/{self.index.pk}/", data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CampaignPage.objects.exists())

    def test_standard_page_and_social_image(self):
        data = nested_form_data(
            {
                "title": "Mentions légales",
                "slug": "mentions-legales",
                "intro": "Éditeur du site",
                "body": streamfield([("rich_text", rich_text("<p>Hébergeur</p>"))]),
                "social_image": self.image.pk,
                "search_description": "Les mentions légales",
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)
        page = StandardPage.objects.get(slug="mentions-legales")
        page.save_revision().publish()
        response = self.client.get(page.url)
        self.assertContains(response, '<meta name="description" content="Les mentions légales">')
        self.assertContains(response, 'property="og:image"')

    def test_every_page_type_is_routable_and_renders(self):
        for page in Page.objects.live().specific().filter(depth__gt=1):
            self.assertPageIsRenderable(page)
