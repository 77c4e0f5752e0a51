from django.db import migrations


def seed(apps, schema_editor):
    from warmhome.people.categories import SEED_CATEGORIES

    Category = apps.get_model("people", "Category")
    for order, (code, name) in enumerate(SEED_CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_person_registry")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
