from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "ecotone.lrs"
    label = "lrs"
    verbose_name = "Learning record store"

    def ready(self) -> None:
        from ecotone.lrs import (
            panels,  # noqa: F401  (registers the profile timeline)
            policies,  # noqa: F401  (registers the permissions)
            seeding,  # noqa: F401  (registers the ledger backfill seed step)
        )
