from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "ecotone.goals"
    label = "goals"
    verbose_name = "Goals"

    def ready(self) -> None:
        from ecotone.goals import (
            ledger,
            panels,  # noqa: F401  (registers the home and profile panels)
            policies,  # noqa: F401  (registers the permissions)
            readiness,  # noqa: F401  (registers objective demand as a requirement source)
            seeding,  # noqa: F401  (registers the demo seed steps)
            services,
            tasks,  # noqa: F401  (registers the daily goal scan)
        )
        from ecotone.skills.services import on_level_changed

        on_level_changed(services.level_changed)
        ledger.register()
