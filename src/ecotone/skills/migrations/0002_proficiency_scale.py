from django.db import migrations

SCALE = [
    (1, "Awareness", "Knows what it is and when it matters; needs guidance to apply it."),
    (2, "Beginner", "Applies it to simple, familiar tasks with some help."),
    (3, "Practitioner", "Applies it independently to the usual work of the role."),
    (4, "Advanced", "Handles complex or unusual cases; helps and reviews others."),
    (5, "Expert", "Sets the standard; teaches it and is sought out for it across the company."),
]


def create_scale(apps, schema_editor):
    ProficiencyLevel = apps.get_model("skills", "ProficiencyLevel")
    for level, name, description in SCALE:
        ProficiencyLevel.objects.get_or_create(
            level=level, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]

    operations = [migrations.RunPython(create_scale, migrations.RunPython.noop)]
