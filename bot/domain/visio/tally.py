"""Counting an approval ballot, with the documented tie-break.

Each member approves any number of topics; a topic's score is the number of members who
approved it. The highest score wins. **Tie-break: the topic proposed first wins** (earliest
proposal time, then lowest id), which rewards topics that waited longest in the backlog.
With no vote at all every topic ties at 0 and the oldest proposal is chosen. A topic
withdrawn during the vote (its author erased their data: empty title) comes last and
cannot win while another topic is on the ballot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain.visio.model import Tally, Topic, TopicCount


def tally(options: Sequence[Topic], approvals: Mapping[int, int], voters: int) -> Tally:
    """Rank the ballot's topics by approvals, ties broken by the earliest proposal."""
    if not options:
        raise ValueError("an empty ballot has no winner")
    ranking = sorted(
        (TopicCount(topic, approvals.get(topic.id, 0)) for topic in options),
        key=lambda c: (not c.topic.title, -c.votes, c.topic.created_at, c.topic.id),
    )
    tie = len(ranking) > 1 and ranking[0].votes == ranking[1].votes
    return Tally(tuple(ranking), voters, tie)
