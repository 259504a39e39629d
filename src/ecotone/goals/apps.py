from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "ecotone.goals"
    label = "goals"
    verbose_name = "Goals"
