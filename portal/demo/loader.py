"""The demo loader behind `manage.py load_demo`.

It only creates what is missing, so running it again changes nothing.
Content lives in fixtures/demo/*.json; strings "image:<key>" and "page:<slug>"
in StreamField data are replaced by the ids of the demo images and pages.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Page, Site

from content.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    NavigationSettings,
    StandardPage,
)
from portal.demo.campaigns import apply_programme, has_programme, load_criteria
from portal.demo.devices import load_devices
from portal.demo.fixtures import read_fixture
from portal.demo.form_pages import load_campaign_forms
from portal.demo.free_forms import load_free_forms
from portal.demo.images import get_or_create_image
from portal.demo.loans import load_loans, load_refurbishing_chain
from portal.demo.mediation_sites import load_mediation_sites
from portal.demo.pledges import load_pledges
from portal.demo.prescriptions import load_prescriptions
from portal.demo.programme import load_identities, load_programme_settings
from portal.demo.reviews import load_reviews
from portal.roles import sync_roles


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.images = {}
        self.created = {"images": 0, "pages": 0, "users": 0}
        self.new_pages = []  # (page, raw body field name, raw StreamField data)

    def run(self):
        # Demo records move through statuses: their notification emails go nowhere.
        with (
            transaction.atomic(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        ):
            sync_roles()
            self.load_images()
            home = self.load_home()
            self.load_standard_pages(home)
            self.load_users()
            self.load_coordinators()
            load_mediation_sites(self, home)
            self.load_campaigns(home)  # a campaign names its coordinators and sites
            forms = load_campaign_forms(self)  # before the campaigns' bodies link to them
            self.publish_new_pages()
            load_pledges(self, forms)
            # Before the devices' documents: the programmes and refurbishers they name.
            load_programme_settings(self)
            load_identities(self)
            load_refurbishing_chain(self)
            load_devices(self)
            load_prescriptions(self, forms)  # hands over devices delivered to each campaign's sites
            load_loans(self)
            load_free_forms(self)
            load_reviews(self)
            self.load_navigation(home)
        return self.created

    # Images -----------------------------------------------------------
    def load_images(self):
        for spec in read_fixture("images.json"):
            image, created = get_or_create_image(
                spec["key"], spec["title"], spec["color"], spec["size"]
            )
            self.images[spec["key"]] = image
            self.created["images"] += created

    # Pages ------------------------------------------------------------
    def load_home(self):
        home = HomePage.objects.first()
        if home:
            return home
        data = read_fixture("pages.json")["home"]
        root = Page.get_first_root_node()
        home = HomePage(
            title=data["title"],
            slug=data["slug"],
            seo_title=data["seo_title"],
            search_description=data["search_description"],
        )
        root.add_child(instance=home)
        self.created["pages"] += 1
        self.new_pages.append((home, "intro", data["intro"]))
        site = Site.objects.filter(is_default_site=True).first()
        welcome = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
        else:
            Site.objects.create(
                hostname="localhost",
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        # Wagtail's own "Welcome" placeholder page is replaced by the home page.
        if welcome and welcome.specific_class is Page and welcome.is_leaf():
            welcome.delete()
        return home

    def add_page(self, parent, page, body_field=None, body=None):
        existing = parent.get_children().filter(slug=page.slug).first()
        if existing:
            return existing.specific
        parent.add_child(instance=page)
        self.created["pages"] += 1
        if body_field:
            self.new_pages.append((page, body_field, body))
        return page

    def load_standard_pages(self, home):
        for data in read_fixture("pages.json")["standard"]:
            page = StandardPage(title=data["title"], slug=data["slug"], intro=data["intro"])
            self.add_page(home, page, "body", data["body"])

    def load_campaigns(self, home):
        data = read_fixture("campaigns.json")
        index = self.add_page(
            home,
            CampaignIndexPage(
                title=data["index"]["title"],
                slug=data["index"]["slug"],
                intro=data["index"]["intro"],
            ),
        )
        for item in data["campaigns"]:
            campaign = CampaignPage(
                title=item["title"],
                slug=item["slug"],
                territory=item["territory"],
                start_date=date.fromisoformat(item["start_date"]),
                end_date=date.fromisoformat(item["end_date"]) if item["end_date"] else None,
                goal=item["goal"],
                status=item["status"],
                summary=item["summary"],
                seo_title=item["seo_title"],
                search_description=item["search_description"],
                listing_image=self.images.get(item["image"]),
                social_image=self.images.get(item["image"]),
            )
            programme = item.get("programme", {})
            existing = index.get_children().filter(slug=campaign.slug).first()
            if existing is None:
                apply_programme(campaign, programme)
                self.add_page(index, campaign, "body", item["body"])
            else:
                campaign = existing.specific
                if not has_programme(campaign):
                    # A demo loaded before campaigns had a programme gets it now.
                    apply_programme(campaign, programme)
                    campaign.save_revision().publish()
            self.created["criteria"] = self.created.get("criteria", 0) + load_criteria(
                campaign, programme
            )

    def resolve(self, value):
        """Replace "image:<key>", "page:<slug>" and "page:<parent slug>/<slug>" (a
        campaign's form) references by database ids."""
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, str) and value.startswith("image:"):
            return self.images[value.removeprefix("image:")].pk
        if isinstance(value, str) and value.startswith("page:"):
            path = value.removeprefix("page:")
            if "/" in path:
                return Page.objects.get(url_path__endswith=f"/{path}/").pk
            return Page.objects.get(slug=path).pk
        return value

    def publish_new_pages(self):
        for page, field, body in self.new_pages:
            # Children (a campaign's forms) were added since: keep the tree's count.
            page.refresh_from_db(fields=["numchild"])
            setattr(page, field, self.resolve(body))
            page.save_revision().publish()

    # Navigation -------------------------------------------------------
    def load_navigation(self, home):
        site = Site.objects.get(root_page=home)
        navigation = NavigationSettings.for_site(site)
        if navigation.main_menu or navigation.footer_links:
            return
        data = read_fixture("pages.json")["navigation"]

        def links(slugs):
            return [
                ("link", {"page": Page.objects.get(slug=slug), "label": "", "url": ""})
                for slug in slugs
            ]

        navigation.main_menu = links(data["main_menu"])
        navigation.footer_links = links(data["footer_links"])
        navigation.footer_text = data["footer_text"]
        navigation.save()

    # Users ------------------------------------------------------------
    def load_users(self):
        User = get_user_model()
        for data in read_fixture("users.json"):
            user, created = User.objects.get_or_create(
                username=data["username"],
                defaults={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "email": data["email"],
                    "is_staff": data["superuser"],
                    "is_superuser": data["superuser"],
                },
            )
            if not created:
                continue
            user.set_password(data["username"])  # demo only: the password is the user name
            user.save()
            user.groups.set(Group.objects.filter(name__in=data["groups"]))
            self.created["users"] += 1

    def load_coordinators(self):
        """The demo coordinator coordinates every demo campaign (coordinators see only
        the records of the campaigns they coordinate)."""
        user = get_user_model().objects.filter(username="coordination").first()
        if user is not None and not user.coordinated_campaigns.exists():
            user.coordinated_campaigns.add(*CampaignPage.objects.all())


def demo_accounts():
    return [
        (data["username"], data["groups"] or ["superuser"]) for data in read_fixture("users.json")
    ]
