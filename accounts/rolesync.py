"""Create the role groups and give them their permissions (used by data migrations)."""

from django.contrib.auth.management import create_permissions

from .roles import ROLE_PERMISSIONS


def sync_role_groups(apps, schema_editor=None):
    """Idempotent. Permissions of models not yet migrated are skipped; later migrations
    call this again so that each role ends with every permission ROLE_PERMISSIONS names."""
    for app_config in apps.get_app_configs():
        # A migration's historical registry has no models modules; the live one (used by
        # the tests to restore reference data) must keep its own.
        original = getattr(app_config, "models_module", None)
        if not original:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if not original:
            app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([perms[n] for n in names if n in perms])
