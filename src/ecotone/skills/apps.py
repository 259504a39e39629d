from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "ecotone.skills"
    label = "skills"
    verbose_name = "Skills"

    def ready(self) -> None:
        from ecotone.skills import (
            panels,  # noqa: F401  (registers the profile panel)
            policies,  # noqa: F401  (registers the permissions)
            search,
            seeding,  # noqa: F401  (registers the demo seed steps)
            tasks,  # noqa: F401  (registers the nightly level refresh)
        )

        search.register()
