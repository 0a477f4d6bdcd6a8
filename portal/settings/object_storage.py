"""Files on an S3-compatible object store, set by environment variables.

Several app servers share the files of the portal only through storage: Wagtail's
images and documents (``default``) and the private files (``private``: admin import
uploads and their files of rows to fix). Without STORAGE_S3_BUCKET both stay on the
file system (MEDIA_ROOT, PRIVATE_ROOT: a volume shared by the servers). With it:

- STORAGE_S3_BUCKET: the bucket of media (public images and documents);
- STORAGE_S3_PRIVATE_BUCKET: the bucket of private files (default: the same bucket,
  under another prefix; a bucket of its own, never public, is safer);
- STORAGE_S3_ENDPOINT_URL: the S3-compatible service (empty for AWS);
- STORAGE_S3_ACCESS_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY, STORAGE_S3_REGION
  (empty: boto3's own environment, instance role or configuration files);
- STORAGE_S3_MEDIA_LOCATION, STORAGE_S3_PRIVATE_LOCATION: prefixes
  ("media", "private");
- STORAGE_S3_MEDIA_ACL: the ACL of media objects ("public-read"; empty when the
  bucket has ACLs disabled and a policy makes the media prefix readable);
- STORAGE_S3_CUSTOM_DOMAIN: the domain (a CDN) media URLs use, if any.

Private objects are written with the "private" ACL and their storage has no URL
(portal.storage_backends.PrivateS3Storage): they are read by the portal's views,
which check who asks and stream them. Needs the ``s3`` extra (django-storages[s3]).
"""

S3_BACKEND = "storages.backends.s3.S3Storage"
PRIVATE_S3_BACKEND = "portal.storage_backends.PrivateS3Storage"


def _connection(environ):
    options = {
        "endpoint_url": environ.get("STORAGE_S3_ENDPOINT_URL") or None,
        "access_key": environ.get("STORAGE_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
        "region_name": environ.get("STORAGE_S3_REGION") or None,
        "file_overwrite": False,  # two servers never replace each other's files
    }
    return {key: value for key, value in options.items() if value is not None}


def object_storages(environ):
    """The STORAGES entries ("default", "private") the environment asks for, or {}
    when no bucket is set (the file system is kept)."""
    bucket = environ.get("STORAGE_S3_BUCKET", "")
    if not bucket:
        return {}
    connection = _connection(environ)
    media = {
        **connection,
        "bucket_name": bucket,
        "location": environ.get("STORAGE_S3_MEDIA_LOCATION", "media"),
        "default_acl": environ.get("STORAGE_S3_MEDIA_ACL", "public-read") or None,
        "querystring_auth": False,  # public media: plain, cacheable URLs
    }
    if environ.get("STORAGE_S3_CUSTOM_DOMAIN"):
        media["custom_domain"] = environ["STORAGE_S3_CUSTOM_DOMAIN"]
    private = {
        **connection,
        "bucket_name": environ.get("STORAGE_S3_PRIVATE_BUCKET") or bucket,
        "location": environ.get("STORAGE_S3_PRIVATE_LOCATION", "private"),
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": media},
        "private": {"BACKEND": PRIVATE_S3_BACKEND, "OPTIONS": private},
    }
