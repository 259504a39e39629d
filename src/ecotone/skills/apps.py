from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "ecotone.skills"
    label = "skills"
    verbose_name = "Skills"

    def ready(self) -> None:
        from ecotone.people.moves import register_move_listener
        from ecotone.skills import (
            inbound,  # noqa: F401  (consumes inbound xAPI evidence; registers its job)
            ledger,  # noqa: F401  (registers the ledger backfill of skill evidence)
            orgfile,  # noqa: F401  (registers the role_profile column of the org file)
            panels,  # noqa: F401  (registers the profile panel)
            policies,  # noqa: F401  (registers the permissions)
            search,
            seeding,  # noqa: F401  (registers the demo seed steps)
            tasks,  # noqa: F401  (registers the nightly level refresh)
        )

        search.register()
        from ecotone.skills.services import sync_level_teams

        register_move_listener("skills.level_teams", sync_level_teams)
