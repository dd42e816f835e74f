"""Approval counting and the tie-break: the earliest proposal wins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.visio.model import Topic, TopicStatus
from bot.domain.visio.tally import tally

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def topic(topic_id: int, minutes: int) -> Topic:
    return Topic(
        topic_id, f"Sujet {topic_id}", "", 1, TopicStatus.OPEN, T0 + timedelta(minutes=minutes)
    )


def test_most_approvals_wins() -> None:
    result = tally([topic(1, 0), topic(2, 1), topic(3, 2)], {2: 5, 3: 2, 1: 1}, 6)
    assert result.winner.id == 2
    assert [(c.topic.id, c.votes) for c in result.ranking] == [(2, 5), (3, 2), (1, 1)]
    assert not result.tie and result.voters == 6


def test_tie_goes_to_the_earliest_proposal_even_with_a_higher_id() -> None:
    result = tally([topic(7, 5), topic(3, 10), topic(9, 1)], {7: 4, 3: 4, 9: 4}, 5)
    assert result.tie and result.winner.id == 9


def test_no_vote_at_all_chooses_the_oldest_topic() -> None:
    result = tally([topic(2, 3), topic(1, 3)], {}, 0)
    assert result.winner.id == 1 and result.tie


def test_empty_ballot_has_no_winner() -> None:
    with pytest.raises(ValueError, match="empty ballot"):
        tally([], {}, 0)
