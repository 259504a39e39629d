"""The demo company generator: ``seed_company(size=..., seed=...)``.

See ``pipeline`` for how steps are organised and how other apps add theirs, and
``organisation`` for the org chart the people app generates.
"""

from ecotone.people.seeding import organisation as organisation
from ecotone.people.seeding.pipeline import (
    DEMO_PASSWORD,
    SEEDED_ACTION,
    SIZES,
    DemoLogin,
    PersonPlan,
    Progress,
    SeedContext,
    SeedStep,
    TeamPlan,
    database_is_empty,
    last_seeded_logins,
    register_step,
    seed_company,
    steps,
)

__all__ = [
    "DEMO_PASSWORD",
    "SEEDED_ACTION",
    "SIZES",
    "DemoLogin",
    "PersonPlan",
    "Progress",
    "SeedContext",
    "SeedStep",
    "TeamPlan",
    "database_is_empty",
    "last_seeded_logins",
    "organisation",
    "register_step",
    "seed_company",
    "steps",
]
