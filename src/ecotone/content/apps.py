from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "ecotone.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from ecotone.content import (
            goals,
            inbound,  # noqa: F401  (consumes outside progress statements; registers its job)
            ledger,
            panels,  # noqa: F401  (registers the home and profile panels)
            policies,  # noqa: F401  (registers the permissions)
            search,
            seeding,  # noqa: F401  (registers the demo seed steps)
            tasks,  # noqa: F401  (registers the nightly freshness scan)
        )

        search.register()
        goals.register()
        ledger.register()
