# No models here. The module exists so that Django emits post_migrate for this
# app, which synchronises the staff groups (see portal.roles).
