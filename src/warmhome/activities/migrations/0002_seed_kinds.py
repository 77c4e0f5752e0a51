from django.db import migrations

KINDS = [
    ("volunteer_service", "志愿服务", 10),
    ("study", "学习交流", 20),
    ("training", "业务培训", 30),
    ("salon", "反家暴志愿者沙龙", 40),
    ("family_culture", "家庭文化活动", 50),
    ("moral_education", "美德好儿童", 60),
    ("family_education", "家庭教育进社区", 70),
    ("publicity", "宣传活动", 80),
    ("other", "其他", 90),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for code, name, order in KINDS:
        ActivityKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
