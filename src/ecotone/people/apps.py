from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ecotone.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from ecotone.people import (
            policies,  # noqa: F401  (registers the permissions)
            search,
        )

        search.register()
