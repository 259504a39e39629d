from __future__ import annotations

import pytest
from django.test import RequestFactory

from ecotone.kernel import panels


@pytest.fixture
def clean_slot():
    saved = dict(panels._panels.get("home.aside", {}))
    panels._panels["home.aside"] = {}
    yield "home.aside"
    panels._panels["home.aside"] = saved


def test_panels_render_in_order_and_skip_those_with_nothing_to_show(clean_slot, tmp_path, settings):
    (tmp_path / "panel.html").write_text("<p>{{ word }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    panels.register_panel(
        clean_slot,
        name="b",
        template="panel.html",
        context=lambda r, s: {"word": "second"},
        order=2,
    )
    panels.register_panel(
        clean_slot,
        name="a",
        template="panel.html",
        context=lambda r, s: {"word": f"<{s}>"},
        order=1,
    )
    panels.register_panel(clean_slot, name="c", template="panel.html", context=lambda r, s: None)
    html = panels.render_panels(clean_slot, RequestFactory().get("/"), "x")
    assert html == "<p>&lt;x&gt;</p>\n<p>second</p>"


def test_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="Unknown panel slot"):
        panels.register_panel("sidebar", name="x", template="x.html", context=lambda r, s: {})


def test_the_profile_page_shows_the_skills_panel():
    assert [panel.name for panel in panels.panels("profile")][:1] == ["skills"]
