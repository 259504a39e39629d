import django.db.models.deletion
from django.db import migrations, models


def copy_teams(apps, schema_editor):
    """Fill each level's team from its person: their team while active, nothing once left."""
    SkillLevel = apps.get_model("skills", "SkillLevel")
    Person = apps.get_model("people", "Person")
    SkillLevel.objects.update(
        team_id=models.Subquery(
            Person.objects.filter(pk=models.OuterRef("person_id"), status="active").values(
                "team_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("skills", "0002_proficiency_scale"),
    ]

    operations = [
        migrations.AddField(
            model_name="skilllevel",
            name="team",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.team",
            ),
        ),
        migrations.AddIndex(
            model_name="skilllevel",
            index=models.Index(fields=["skill", "level", "team"], name="skilllevel_heatmap"),
        ),
        migrations.RunPython(copy_teams, migrations.RunPython.noop),
    ]
