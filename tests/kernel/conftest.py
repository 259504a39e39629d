"""Search sources for the kernel's search tests, replacing the apps' own while a test runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ecotone.kernel import search as searching
from ecotone.kernel.search import EVERYTHING, NOTHING, PUBLIC, Visibility, register_source

NOTES = "test.notes"
MEMOS = "test.memos"


def _notes_visible(viewer: Any) -> Visibility:
    if not viewer.is_authenticated:
        return NOTHING
    if viewer.is_superuser:
        return EVERYTHING
    return PUBLIC.with_tokens([f"user:{viewer.pk}"])


@pytest.fixture
def search_sources() -> Iterator[None]:
    saved = dict(searching.registry._sources)
    saved_actions = dict(searching.registry._no_results)
    searching.registry._sources.clear()
    searching.registry._no_results.clear()
    register_source(
        NOTES,
        label="Notes",
        url_for=lambda key: f"/notes/{key}/",
        visible=_notes_visible,
        facets={"colour": "Colour"},
        order=1,
    )
    register_source(MEMOS, label="Memos", url_for=lambda key: f"/memos/{key}/", order=2)
    yield
    searching.registry._sources.clear()
    searching.registry._sources.update(saved)
    searching.registry._no_results.clear()
    searching.registry._no_results.update(saved_actions)
