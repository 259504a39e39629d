"""HTML adapters of the people app: thin views over ``people.selectors`` and ``people.services``."""

from ecotone.people.views.home import home

__all__ = ["home"]
