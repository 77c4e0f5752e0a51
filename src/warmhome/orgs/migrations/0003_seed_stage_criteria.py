from django.db import migrations


def seed(apps, schema_editor):
    from warmhome.orgs.stage_criteria import SEED_CRITERIA

    StageCriterion = apps.get_model("orgs", "StageCriterion")
    for order, (stage, text) in enumerate(SEED_CRITERIA, start=1):
        StageCriterion.objects.get_or_create(stage=stage, text=text, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_unit_facts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
