"""The level-derivation policy, exhaustively, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from ecotone.skills.levels import (
    HALF_LIFE_DAYS,
    NOTHING,
    Piece,
    age_factor,
    current,
    derive,
    round_half_up,
)

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
MANAGER, LEARNER, PEER_A, PEER_B = 1, 2, 3, 4


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def piece(source, level, days=0, author=None, link="", pk=0):
    return Piece(source, level, days_ago(days), author, link, pk)


def test_no_evidence_derives_nothing():
    assert derive([], NOW) == NOTHING


def test_age_factor_halves_every_half_life():
    assert age_factor(NOW, NOW) == 1.0
    assert age_factor(days_ago(HALF_LIFE_DAYS), NOW) == pytest.approx(0.5)
    assert age_factor(days_ago(2 * HALF_LIFE_DAYS), NOW) == pytest.approx(0.25)
    assert age_factor(NOW + dt.timedelta(days=3), NOW) == 1.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.2, 1), (1.49, 1), (1.5, 2), (2.5, 3), (3.4999, 3), (4.5, 5), (7.0, 5)],
)
def test_rounding_is_half_up_and_clamped(value, expected):
    assert round_half_up(value) == expected


def test_a_self_rating_alone_gives_the_level_and_the_self_view():
    derived = derive([piece("self", 3, author=LEARNER)], NOW)
    assert (derived.level, derived.validated_level, derived.self_level) == (3, None, 3)
    assert derived.confidence == pytest.approx(0.2)
    assert derived.endorsements == 0
    assert derived.last_evidence_at == NOW
    assert derived.validated_at is None


def test_a_newer_self_rating_supersedes_the_older():
    derived = derive(
        [piece("self", 2, days=100, author=LEARNER), piece("self", 4, days=1, author=LEARNER)], NOW
    )
    assert (derived.level, derived.self_level) == (4, 4)
    assert derived.confidence == pytest.approx(0.2 * age_factor(days_ago(1), NOW), abs=1e-4)


def test_validated_evidence_outranks_self_ratings_whatever_their_age():
    evidence = [
        piece("manager", 2, days=700, author=MANAGER),
        piece("self", 5, days=0, author=LEARNER),
    ]
    derived = derive(evidence, NOW)
    assert (derived.level, derived.validated_level, derived.self_level) == (2, 2, 5)
    assert derived.validated_at == days_ago(700)


@pytest.mark.parametrize("source", ["manager", "assessment", "opportunity"])
def test_every_validated_source_outranks_observed_and_self(source):
    evidence = [
        piece(source, 2, days=10, author=MANAGER if source == "manager" else None, link="x:1"),
        piece("talk", 5, days=1, link="talk:1"),
        piece("self", 5, days=1, author=LEARNER),
    ]
    assert derive(evidence, NOW).level == 2


def test_recent_validated_evidence_weighs_more_than_old():
    # A quiz a year ago at 2 (weight 0.5) and a manager assessment today at 4 (weight 1).
    evidence = [
        piece("assessment", 2, days=HALF_LIFE_DAYS, link="quiz:1"),
        piece("manager", 4, days=0, author=MANAGER),
    ]
    # (0.5*2 + 1*4) / 1.5 = 3.33 -> 3
    assert derive(evidence, NOW).validated_level == 3
    evidence[0] = piece("assessment", 2, days=3 * HALF_LIFE_DAYS, link="quiz:1")
    # (0.125*2 + 4) / 1.125 = 3.78 -> 4
    assert derive(evidence, NOW).validated_level == 4


def test_two_managers_both_count_but_each_only_with_their_newest_assessment():
    evidence = [
        piece("manager", 1, days=30, author=MANAGER),
        piece("manager", 3, days=10, author=MANAGER),
        piece("manager", 5, days=10, author=99),
    ]
    counted = current(evidence, NOW)
    assert sorted(p.level for p in counted) == [3, 5]
    assert derive(evidence, NOW).level == 4


def test_authorless_evidence_supersedes_per_link():
    evidence = [
        piece("assessment", 2, days=20, link="quiz:1"),
        piece("assessment", 4, days=10, link="quiz:1"),
        piece("assessment", 4, days=10, link="quiz:2"),
    ]
    assert len(current(evidence, NOW)) == 2
    assert derive(evidence, NOW).level == 4


def test_observed_evidence_and_self_ratings_blend_with_observed_weighing_more():
    # A talk at 4 (0.6) and a self-rating at 2 (0.3): (2.4 + 0.6) / 0.9 = 3.33 -> 3.
    evidence = [piece("talk", 4, link="talk:1"), piece("self", 2, author=LEARNER)]
    derived = derive(evidence, NOW)
    assert (derived.level, derived.validated_level, derived.self_level) == (3, None, 2)


def test_evidence_without_a_level_only_raises_confidence():
    evidence = [piece("self", 3, author=LEARNER), piece("event", None, link="event:1")]
    derived = derive(evidence, NOW)
    assert derived.level == 3
    assert derived.confidence == pytest.approx(1 - 0.8 * 0.85)


def test_endorsements_raise_confidence_not_the_level():
    alone = derive([piece("self", 3, author=LEARNER)], NOW)
    endorsed = derive(
        [
            piece("self", 3, author=LEARNER),
            piece("peer", 5, author=PEER_A),
            piece("peer", None, author=PEER_B),
        ],
        NOW,
    )
    assert endorsed.level == alone.level == 3
    assert endorsed.endorsements == 2
    assert endorsed.confidence > alone.confidence
    assert endorsed.confidence == pytest.approx(1 - 0.8 * 0.85 * 0.85)


def test_the_same_colleague_endorses_once():
    evidence = [piece("peer", None, days=5, author=PEER_A), piece("peer", 3, author=PEER_A)]
    assert derive(evidence, NOW).endorsements == 1


def test_old_evidence_loses_confidence():
    fresh = derive([piece("manager", 3, author=MANAGER)], NOW)
    old = derive([piece("manager", 3, days=2 * HALF_LIFE_DAYS, author=MANAGER)], NOW)
    assert fresh.level == old.level == 3
    assert fresh.confidence == pytest.approx(0.6)
    assert old.confidence == pytest.approx(0.15)


def test_confidence_is_capped_below_certainty():
    evidence = [piece("manager", 4, author=n) for n in range(50)]
    assert derive(evidence, NOW).confidence == 0.99


def test_level_at_a_past_date_ignores_later_evidence_and_ages_from_that_date():
    evidence = [
        piece("self", 2, days=400, author=LEARNER, pk=1),
        piece("manager", 3, days=200, author=MANAGER, pk=2),
        piece("self", 4, days=10, author=LEARNER, pk=3),
        piece("manager", 4, days=5, author=MANAGER, pk=4),
    ]
    assert derive(evidence, days_ago(500)) == NOTHING
    before_validation = derive(evidence, days_ago(300))
    assert (before_validation.level, before_validation.validated_level) == (2, None)
    assert before_validation.confidence == pytest.approx(
        0.2 * age_factor(days_ago(400), days_ago(300)), abs=1e-4
    )
    validated = derive(evidence, days_ago(100))
    assert (validated.level, validated.self_level) == (3, 2)
    today = derive(evidence, NOW)
    assert (today.level, today.validated_level, today.self_level) == (4, 4, 4)


def test_levels_do_not_drift_with_time_without_new_evidence():
    evidence = [
        piece("assessment", 2, days=100, link="quiz:1"),
        piece("manager", 4, days=0, author=MANAGER),
    ]
    later = NOW + dt.timedelta(days=900)
    assert derive(evidence, NOW).level == derive(evidence, later).level
    assert derive(evidence, later).confidence < derive(evidence, NOW).confidence


def test_ties_between_same_time_evidence_go_to_the_later_row():
    evidence = [
        piece("self", 2, author=LEARNER, pk=7),
        piece("self", 5, author=LEARNER, pk=8),
    ]
    assert derive(evidence, NOW).self_level == 5
