"""Factories for tests. They write through the ORM for speed; services are tested directly."""

from __future__ import annotations

import factory

from ecotone.people.models import Person, RoleGrant, Team, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        obj.depth = obj.path.count("/") - 2
        if create:
            obj.save(update_fields=["path", "depth"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    title = "Engineer"
    location = "Lyon"
    manager = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.manager_path = obj.manager.subtree_prefix if obj.manager else "/"
        if create:
            obj.save(update_fields=["manager_path"])


def grant(person: Person, role: str) -> Person:
    RoleGrant.objects.create(person=person, role=role)
    return person
