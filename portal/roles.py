"""The groups staff belong to, and what each may do.

Groups exist in every environment: they are (re)synchronised after every
`migrate` and by `manage.py setup_roles`. Demo users are only created by the
demo loader.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

COMMUNICATION = "Communication"
COORDINATION = "Coordination"
MEDIATION = "Médiation"

ADMIN_ACCESS = ["wagtailadmin.access_admin"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtailimages.delete_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtaildocs.delete_document",
]
SITE_SETTINGS = ["content.change_navigationsettings"]
COLLECTION_APPS = {"wagtailimages", "wagtaildocs"}

# Model permissions per group ("app_label.codename"). Later features append the
# programme records coordinators manage to PROGRAMME_PERMISSIONS.
PROGRAMME_PERMISSIONS: list[str] = [
    "content.add_mediationsite",
    "content.change_mediationsite",
    "content.delete_mediationsite",
    "content.view_mediationsite",
    # Their own programmes' identity on documents (the site-wide fallback,
    # portal.ProgrammeSettings, is for superusers only).
    "forms.add_programmeidentity",
    "forms.change_programmeidentity",
    "forms.view_programmeidentity",
    "forms.add_donorpledge",
    "forms.change_donorpledge",
    "forms.view_donorpledge",
    "forms.add_prescription",
    "forms.change_prescription",
    "forms.view_prescription",
    "forms.export_personal_data",
    "forms.add_handoversheet",
    "forms.change_handoversheet",
    "forms.view_handoversheet",
    "forms.add_prioritycriterion",
    "forms.change_prioritycriterion",
    "forms.delete_prioritycriterion",
    "forms.view_prioritycriterion",
    # Keys of partner systems sending prescriptions to their campaigns
    "forms.add_partnerkey",
    "forms.change_partnerkey",
    "forms.view_partnerkey",
    # Devices, lots and documents
    "forms.add_device",
    "forms.change_device",
    "forms.view_device",
    "forms.view_site_stock",
    "forms.add_devicebatch",
    "forms.change_devicebatch",
    "forms.view_devicebatch",
    "forms.add_lot",
    "forms.change_lot",
    "forms.view_lot",
    "forms.add_documentwording",
    "forms.change_documentwording",
    "forms.view_documentwording",
    "forms.view_generateddocument",
    "forms.add_donorfollowuplink",
    "forms.change_donorfollowuplink",
    "forms.view_donorfollowuplink",
    # Loans and the refurbishing chain
    "forms.add_loan",
    "forms.change_loan",
    "forms.view_loan",
    "forms.add_maintenanceentry",
    "forms.view_maintenanceentry",
    "content.add_organisation",
    "content.change_organisation",
    "content.view_organisation",
]

# Mediation-site staff: their sites' prescriptions and handover sheets only
# (scoped in forms.access); no pledges, no exports of personal data.
MEDIATION_PERMISSIONS = [
    "forms.view_prescription",
    "forms.change_prescription",
    "forms.add_handoversheet",
    "forms.change_handoversheet",
    "forms.view_handoversheet",
    "forms.view_site_stock",
    # Their sites' loans: return, extension, maintenance (loans start from the programme's stock).
    "forms.view_loan",
    "forms.change_loan",
    "forms.add_maintenanceentry",
    "forms.view_maintenanceentry",
]

ROLES = {
    COMMUNICATION: {
        "permissions": ADMIN_ACCESS + MEDIA_PERMISSIONS + SITE_SETTINGS,
        "pages": PAGE_PERMISSIONS,
    },
    COORDINATION: {
        "permissions": ADMIN_ACCESS + MEDIA_PERMISSIONS + SITE_SETTINGS + PROGRAMME_PERMISSIONS,
        "pages": PAGE_PERMISSIONS,
    },
    # Mediation-site staff: admin access only; their records are scoped to their sites.
    MEDIATION: {"permissions": ADMIN_ACCESS + MEDIATION_PERMISSIONS, "pages": []},
}


# Permissions granted by the apps' own packages (a kind of form grants those of its
# records), added to the role's list above.
GRANTED: dict[str, set[str]] = {}


def grant(role, permissions):
    GRANTED.setdefault(role, set()).update(permissions)


def role_permissions(name):
    return ROLES[name]["permissions"] + sorted(GRANTED.get(name, ()))


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_roles():
    """Create or update every group so that it has exactly its role's permissions."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [_permission(p) for p in role_permissions(name)]
        # Images and documents are granted per collection, everything else per model.
        collection_permissions = [
            p for p in permissions if p.content_type.app_label in COLLECTION_APPS
        ]
        group.permissions.set(
            [p for p in permissions if p.content_type.app_label not in COLLECTION_APPS]
        )
        GroupCollectionPermission.objects.filter(group=group).exclude(
            permission__in=collection_permissions
        ).delete()
        if root_collection:
            for permission in collection_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        page_permissions = [
            Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            for codename in role["pages"]
        ]
        GroupPagePermission.objects.filter(group=group).exclude(
            permission__in=page_permissions
        ).delete()
        if root_page:
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )


def sync_roles_after_migrate(sender, using="default", **kwargs):
    if using == "default":
        sync_roles()
