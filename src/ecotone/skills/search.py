"""Skills in the search index, and "people by skill" (registered in ``SkillsConfig.ready``).

- ``skills``: every active skill (name, aliases, description, category), indexed by the skills
  services in their transaction (``index_skill`` / ``remove_skill``); deprecated and merged
  skills are taken out.
- ``skills.experts`` (People by skill): a live source. It asks the expert finder
  (``selectors.find_experts``) at query time, so ratings are never copied into the index and
  the skills privacy rules apply as they do on the skills pages: only validated levels, which
  every colleague may see, and only people still active.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from ecotone import authz
from ecotone.kernel import search
from ecotone.skills import selectors
from ecotone.skills.models import ProficiencyLevel, Skill

SOURCE = "skills"
EXPERTS = "skills.experts"


def _document(skill: Skill) -> search.Document:
    category = skill.category.name if skill.category else ""
    return search.Document(
        key=skill.slug,
        title=skill.name,
        tags=[*skill.aliases, category],
        body=skill.description,
        facets={"category": category},
        updated_at=skill.updated_at,
    )


def index_skill(skill: Skill) -> None:
    """Put ``skill`` in the index as it is now (or take it out unless it is active)."""
    if skill.status != Skill.Status.ACTIVE:
        remove_skill(skill)
        return
    document = _document(skill)
    search.index_document(
        SOURCE,
        document.key,
        title=document.title,
        body=document.body,
        tags=document.tags,
        facets=document.facets,
        updated_at=document.updated_at,
    )


def remove_skill(skill: Skill) -> None:
    search.remove_document(SOURCE, skill.slug)


def index_skills(skills: QuerySet[Skill]) -> int:
    """Re-index many skills at once (after an import); inactive ones are taken out."""
    for skill in skills.exclude(status=Skill.Status.ACTIVE).only("slug"):
        remove_skill(skill)
    active = skills.filter(status=Skill.Status.ACTIVE).select_related("category")
    return search.index_documents(SOURCE, (_document(skill) for skill in active))


def all_documents() -> Iterator[search.Document]:
    active = Skill.objects.filter(status=Skill.Status.ACTIVE).select_related("category")
    for skill in active.order_by("pk").iterator(chunk_size=2000):
        yield _document(skill)


def _visible(viewer: Any) -> search.Visibility:
    return search.PUBLIC if authz.can(viewer, "skills.view_framework") else search.NOTHING


def _experts_visible(viewer: Any) -> search.Visibility:
    return search.PUBLIC if authz.can(viewer, "skills.view_levels") else search.NOTHING


def find_people_by_skill(viewer: Any, query: search.Query, limit: int) -> list[search.Hit]:
    """People with a validated level in the skills matching the query (three queries)."""
    if len(query.text) < 2:
        return []
    experts = selectors.find_experts(viewer, query.text, limit=limit)
    if not experts:
        return []
    names = dict(ProficiencyLevel.objects.values_list("level", "name"))
    hits = []
    for expert in experts:
        level = f"{expert.level} · {names[expert.level]}" if expert.level in names else expert.level
        detail = f"{expert.skill.name}: validated level {level}"
        if expert.endorsements:
            detail += f", {expert.endorsements} endorsement{'s' if expert.endorsements > 1 else ''}"
        hits.append(
            search.Hit(
                source=EXPERTS,
                key=f"{expert.person.pk}:{expert.skill.pk}",
                title=expert.person.display_name,
                title_html=search.highlight(expert.person.display_name, query),
                snippet_html=search.highlight(expert.person.title, query),
                url=reverse("profile", args=[expert.person.pk]),
                rank=expert.match,
                updated_at=expert.validated_at,
                detail=detail,
            )
        )
    return hits


def _skill_url(key: str) -> str:
    return reverse("skills:detail", args=[key])


def register() -> None:
    search.register_source(
        SOURCE,
        label="Skills",
        url_for=_skill_url,
        visible=_visible,
        facets={"category": "Category"},
        documents=all_documents,
        order=10,
    )
    search.register_source(
        EXPERTS,
        label="People by skill",
        visible=_experts_visible,
        finder=find_people_by_skill,
        order=20,
    )
