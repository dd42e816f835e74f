"""Proposing topics, and the animators' moderation: edit, merge, reject."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.visio.inputs import clean_description, clean_reason, clean_title, normalise
from bot.domain.visio.model import Topic, TopicStatus, VisioError
from bot.storage.visio import BallotStore, TopicStore


class DuplicateTopic(VisioError):
    """The same topic is already proposed: ``existing`` is the one to vote for."""

    def __init__(self, existing: Topic) -> None:
        super().__init__("duplicate", title=existing.title)
        self.existing = existing


def _title_and_key(title: str | None) -> tuple[str, str]:
    """A clean title and its comparison key; a title without any letter or digit is empty."""
    clean = clean_title(title)
    key = normalise(clean)
    if not key:
        raise VisioError("empty")
    return clean, key


class TopicService:
    """The backlog of topics and the rules for changing it."""

    def __init__(self, topics: TopicStore, ballots: BallotStore, clock: Clock) -> None:
        self._topics = topics
        self._ballots = ballots
        self._clock = clock

    async def propose(self, author_id: int, title: str | None) -> Topic:
        """Add a topic to the backlog; DuplicateTopic if the same one is already there."""
        clean, key = _title_and_key(title)
        existing = await self._topics.find_same(key)
        if existing is not None:
            raise DuplicateTopic(existing)
        return await self._topics.add(clean, "", key, author_id, self._clock.now())

    async def describe(self, author_id: int, topic_id: int, text: str | None) -> Topic:
        """The author adds a description to the topic they just proposed."""
        topic = await self._topics.get(topic_id)
        if topic is None or topic.author_id != author_id:
            raise VisioError("unknown_topic")
        description = clean_description(text)
        key = normalise(topic.title)
        await self._topics.set_text(topic.id, topic.title, description, key, self._clock.now())
        return await self._require(topic.id)

    async def get(self, topic_id: int) -> Topic | None:
        """One topic."""
        return await self._topics.get(topic_id)

    async def backlog(self) -> list[Topic]:
        """Topics waiting for a vote, oldest first."""
        return await self._topics.open_topics()

    async def edit(self, topic_id: int, title: str | None) -> Topic:
        """An animator rewords an open topic's title."""
        topic = await self._open(topic_id)
        clean, key = _title_and_key(title)
        existing = await self._topics.find_same(key, exclude=topic.id)
        if existing is not None:
            raise DuplicateTopic(existing)
        await self._topics.set_text(topic.id, clean, topic.description, key, self._clock.now())
        return await self._require(topic.id)

    async def merge(self, source_id: int, target_id: int) -> tuple[Topic, Topic]:
        """Fold ``source`` into ``target`` (both open, neither on an open ballot)."""
        if source_id == target_id:
            raise VisioError("merge_same")
        source = await self._movable(source_id)
        target = await self._movable(target_id)
        await self._topics.set_status(
            [source.id], TopicStatus.MERGED, self._clock.now(), merged_into=target.id
        )
        return await self._require(source.id), target

    async def reject(self, topic_id: int, reason: str | None) -> Topic:
        """Set a topic aside with a reason its author is told."""
        topic = await self._movable(topic_id)
        why = clean_reason(reason)
        await self._topics.set_status(
            [topic.id], TopicStatus.REJECTED, self._clock.now(), reason=why
        )
        return await self._require(topic.id)

    async def _open(self, topic_id: int) -> Topic:
        topic = await self._topics.get(topic_id)
        if topic is None or topic.status is not TopicStatus.OPEN:
            raise VisioError("unknown_topic")
        return topic

    async def _movable(self, topic_id: int) -> Topic:
        topic = await self._open(topic_id)
        if await self._ballots.on_open_ballot(topic.id):
            raise VisioError("on_ballot")
        return topic

    async def _require(self, topic_id: int) -> Topic:
        topic = await self._topics.get(topic_id)
        assert topic is not None
        return topic
