"""The «صحفيون» (Journalists) group: what journalists may do, granted in one place (articles.journalists.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALISTS = "صحفيون"
# A frozen copy of articles.journalists.roles.GRANTS (tests check that both agree).
GRANTS = {
    "savedsearch": ["view", "add", "change", "delete"],
    "collection": ["view", "add", "change", "delete"],
    "collectionitem": ["view", "add", "change", "delete"],
    "feedtoken": ["view", "change"],
}


def create_journalists_group(apps, schema_editor):
    # Permissions are normally created after the last migration (post_migrate); this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=JOURNALISTS)
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    perms = list(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    missing = set(codenames) - {p.codename for p in perms}
    if missing:
        raise RuntimeError(f"missing permissions: {sorted(missing)}")
    group.permissions.set(perms)


def remove_journalists_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=JOURNALISTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_journalists"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_journalists_group, remove_journalists_group)]
