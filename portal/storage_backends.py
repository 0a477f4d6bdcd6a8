"""Storage classes of the portal's private files (settings.STORAGES["private"]).

Imported only when the settings name them (portal/settings/object_storage.py), so
that django-storages (the ``s3`` extra) is needed only where it is used.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Private files in a bucket: written with the "private" ACL, and without any URL,
    signed or not. The portal's views read them, after checking who asks, and stream
    them (e.g. content.admin_views.MediationSiteImportFixFileView)."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "default_acl": "private"}

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(
            "Private files have no URL: a view of the portal checks who asks and streams them."
        )
