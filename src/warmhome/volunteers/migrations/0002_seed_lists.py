from django.db import migrations


def seed(apps, schema_editor):
    from warmhome.volunteers.categories import SEED_SERVICE_CATEGORIES, SEED_TEAM_KINDS

    for model_name, rows in (
        ("ServiceCategory", SEED_SERVICE_CATEGORIES),
        ("TeamKind", SEED_TEAM_KINDS),
    ):
        model = apps.get_model("volunteers", model_name)
        for order, (code, name) in enumerate(rows, start=1):
            model.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
