"""Groups exist in every environment; communication staff edit content only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from portal.roles import COMMUNICATION, COORDINATION, MEDIATION
from tests.factories import CampaignPageFactory

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "content"}


def test_groups_exist_after_migrate_without_demo_data():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        COMMUNICATION,
        COORDINATION,
        MEDIATION,
    }


def test_setup_roles_is_idempotent_and_restores_permissions(capsys):
    group = Group.objects.get(name=COMMUNICATION)
    group.permissions.clear()
    call_command("setup_roles")
    call_command("setup_roles")
    assert group.permissions.filter(codename="access_admin").exists()
    assert group.page_permissions.count() == 5
    assert "Communication" in capsys.readouterr().out


def test_communication_has_no_programme_permission():
    group = Group.objects.get(name=COMMUNICATION)
    apps = set(group.permissions.values_list("content_type__app_label", flat=True))
    apps |= set(
        group.collection_permissions.values_list("permission__content_type__app_label", flat=True)
    )
    assert apps <= CONTENT_APPS


def test_coordination_has_every_communication_permission():
    communication = set(Group.objects.get(name=COMMUNICATION).permissions.all())
    coordination = set(Group.objects.get(name=COORDINATION).permissions.all())
    assert communication <= coordination


@pytest.mark.parametrize("fixture", ["communication_user", "coordination_user"])
def test_staff_edit_and_publish_pages_images_documents(request, client, campaign_index, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    page = CampaignPageFactory(parent=campaign_index)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert client.get("/admin/images/multiple/add/").status_code == 200
    assert client.get("/admin/documents/multiple/add/").status_code == 200
    response = client.get("/admin/settings/content/navigationsettings/", follow=True)
    assert response.status_code == 200 and response.redirect_chain
    assert "navigationsettings" in response.redirect_chain[-1][0]
    assert user.has_perm("wagtailadmin.access_admin")
    assert page.permissions_for_user(user).can_publish()


def test_communication_cannot_manage_users_or_groups(client, communication_user):
    client.force_login(communication_user)
    assert client.get("/admin/users/").status_code == 302
    assert client.get("/admin/groups/").status_code == 302


def test_a_visitor_is_sent_to_the_login_page(client, home):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_every_permission_granted_exists():
    for group in Group.objects.all():
        for permission in group.permissions.all():
            assert Permission.objects.filter(pk=permission.pk).exists()
