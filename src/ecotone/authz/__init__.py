"""One permission vocabulary for every app.

    can(user, "people.edit_profile", person)      -> bool
    require(user, "people.edit_profile", person)  -> None, or raises NotFound / Forbidden
    scope(user, "people.view_private", Person.objects.all())  -> the rows the user may act on
    who_can("people.view_private", person)        -> the users allowed

Apps declare their permissions in their ``policies.py`` with ``register``; see authz/README.md.
"""

from ecotone.authz.registry import Permission, can, predicate, register, require, scope, who_can

__all__ = ["Permission", "can", "predicate", "register", "require", "scope", "who_can"]
