"""Answering a campaign one question at a time: every answer is committed as it comes.

A member's ``Response`` has a position (the question shown, or the summary past the last
one). Every change names the position the member saw; if the response moved on since (an
old message, a second racing tap) nothing changes and the refusal is ``expired``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from bot.clock import Clock
from bot.domain.diagnostic.model import (
    Answer,
    Campaign,
    CampaignStatus,
    DiagnosticError,
    Response,
)
from bot.domain.diagnostic.questionnaire import Question, QuestionKind
from bot.storage.diagnostic.campaigns import CampaignStore
from bot.storage.diagnostic.responses import ResponseStore

PSEUDONYM_BYTES = 6


class Move(StrEnum):
    """Navigation buttons under a question."""

    BACK = "back"
    SKIP = "skip"
    DONT_KNOW = "dk"
    CONFIRM = "ok"


@dataclass(frozen=True)
class Step:
    """Where the member stands: the campaign, their response and the question to show."""

    campaign: Campaign
    response: Response

    @property
    def question(self) -> Question | None:
        """The question at the member's position, None on the summary."""
        return self.campaign.question_at(self.response.position)

    @property
    def answer(self) -> Answer | None:
        """The stored answer to the current question, if any."""
        question = self.question
        return self.response.answers.get(question.id) if question else None


def clean_text(question: Question, text: str) -> str:
    """A typed answer, trimmed; DiagnosticError ``empty`` or ``too_long`` (with ``limit``)."""
    value = text.strip()
    if not value:
        raise DiagnosticError("empty")
    if len(value) > question.max_length:
        raise DiagnosticError("too_long", limit=question.max_length, length=len(value))
    return value


class AnsweringService:
    """Starts, resumes and records members' responses."""

    def __init__(self, campaigns: CampaignStore, responses: ResponseStore, clock: Clock) -> None:
        self._campaigns = campaigns
        self._responses = responses
        self._clock = clock

    async def _campaign(self, campaign_id: int, user_id: int) -> Campaign:
        """The campaign if the member may answer it now; DiagnosticError otherwise."""
        campaign = await self._campaigns.get(campaign_id)
        if campaign is None:
            raise DiagnosticError("expired")
        if not await self._campaigns.is_invited(campaign_id, user_id):
            raise DiagnosticError("not_invited")
        if campaign.status is CampaignStatus.SCHEDULED:
            raise DiagnosticError("not_open", opens_at=campaign.opens_at)
        if not campaign.accepts_answers(self._clock.now()):
            raise DiagnosticError("closed", closes_at=campaign.closes_at)
        return campaign

    async def _step(self, campaign_id: int, user_id: int, position: int | None) -> Step:
        """The member's current step; ``expired`` unless they stand at ``position``."""
        campaign = await self._campaign(campaign_id, user_id)
        response = await self._responses.get(campaign_id, user_id)
        if response is None or (position is not None and response.position != position):
            raise DiagnosticError("expired")
        return Step(campaign, response)

    async def _after(self, step: Step, user_id: int, moved: bool) -> Step:
        """The member's new step after a change, or ``expired`` if the change was refused."""
        if not moved:
            raise DiagnosticError("expired")
        return await self._step(step.campaign.id, user_id, None)

    async def begin(self, campaign_id: int, user_id: int) -> tuple[Step, bool]:
        """Start or resume the member's response; (step, True if it was just started)."""
        campaign = await self._campaign(campaign_id, user_id)
        response = await self._responses.get(campaign_id, user_id)
        started = response is None
        while response is None:
            pseudonym = secrets.token_hex(PSEUDONYM_BYTES)
            await self._responses.create(campaign_id, user_id, pseudonym, self._clock.now())
            response = await self._responses.get(campaign_id, user_id)
        return Step(campaign, response), started

    async def at(self, campaign_id: int, user_id: int, position: int) -> Step:
        """The member's step if they stand at ``position`` (``expired`` otherwise)."""
        return await self._step(campaign_id, user_id, position)

    async def response(self, campaign_id: int, user_id: int) -> Response | None:
        """The member's response to the campaign, if they started it."""
        return await self._responses.get(campaign_id, user_id)

    async def current(self, user_id: int) -> Step | None:
        """The member's most recently touched response in an open campaign."""
        response = await self._responses.latest_open(user_id, self._clock.now())
        if response is None:
            return None
        campaign = await self._campaigns.get(response.campaign_id)
        return Step(campaign, response) if campaign is not None else None

    def _next(self, step: Step) -> tuple[int, bool]:
        """The position after the current question, and whether that completes the response."""
        size = step.campaign.size
        position = size if step.response.completed else step.response.position + 1
        return position, position >= size

    async def _store(self, step: Step, user_id: int, answer: Answer) -> Step:
        question = step.question
        assert question is not None
        position, complete = self._next(step)
        moved = await self._responses.move(
            step.response.id,
            step.response.position,
            position,
            self._clock.now(),
            answer=(question.id, answer),
            complete=complete,
        )
        return await self._after(step, user_id, moved)

    async def choose(self, campaign_id: int, user_id: int, position: int, option: int) -> Step:
        """A Likert or single-choice button: store the answer and go on."""
        step = await self._step(campaign_id, user_id, position)
        question = step.question
        if question is None or question.kind not in (QuestionKind.LIKERT, QuestionKind.SINGLE):
            raise DiagnosticError("expired")
        if not 0 <= option < len(question.options):
            raise DiagnosticError("expired")
        return await self._store(step, user_id, Answer((question.options[option].id,)))

    async def toggle(
        self, campaign_id: int, user_id: int, position: int, option: int, tick: bool | None = None
    ) -> Step:
        """A multiple-choice button: add or remove the option, staying on the question.

        ``tick`` is what the member asked for (None: the opposite of the stored answer); an
        answer already in that state is left as it is (a press on a question drawn before a
        crash, or a second racing press). Refusal ``too_many`` (with ``limit``) when the
        maximum is already reached.
        """
        step = await self._step(campaign_id, user_id, position)
        question = step.question
        if question is None or question.kind is not QuestionKind.MULTIPLE:
            raise DiagnosticError("expired")
        if not 0 <= option < len(question.options):
            raise DiagnosticError("expired")
        chosen = list(step.answer.choice if step.answer else ())
        option_id = question.options[option].id
        if tick is not None and (option_id in chosen) == tick:
            return step
        if option_id in chosen:
            chosen.remove(option_id)
        elif len(chosen) >= question.max_choices:
            raise DiagnosticError("too_many", limit=question.max_choices)
        else:
            chosen.append(option_id)
        ordered = tuple(o.id for o in question.options if o.id in chosen)
        moved = await self._responses.move(
            step.response.id,
            position,
            position,
            self._clock.now(),
            answer=(question.id, Answer(ordered)),
        )
        return await self._after(step, user_id, moved)

    async def move(self, campaign_id: int, user_id: int, position: int, move: Move) -> Step:
        """Back, skip (the stored answer stays), "je ne sais pas", or confirm a multiple choice."""
        step = await self._step(campaign_id, user_id, position)
        question = step.question
        if question is None:
            raise DiagnosticError("expired")
        if move is Move.DONT_KNOW:
            if not question.dont_know:
                raise DiagnosticError("expired")
            return await self._store(step, user_id, Answer(dont_know=True))
        if move is Move.BACK:
            if position == 0:
                raise DiagnosticError("expired")
            target, complete = position - 1, False
        else:
            target, complete = self._next(step)
        moved = await self._responses.move(
            step.response.id, position, target, self._clock.now(), complete=complete
        )
        return await self._after(step, user_id, moved)

    async def revisit(self, campaign_id: int, user_id: int, position: int) -> Step:
        """From the summary, go back to question ``position`` to change its answer."""
        step = await self._step(campaign_id, user_id, None)
        if step.question is not None or step.campaign.question_at(position) is None:
            raise DiagnosticError("expired")
        moved = await self._responses.move(
            step.response.id, step.response.position, position, self._clock.now()
        )
        return await self._after(step, user_id, moved)

    async def write(self, user_id: int, text: str) -> Step:
        """A typed message: the answer to the member's current free-text question.

        Refusals: ``no_question`` (nothing waits for text), ``not_text`` (the current
        question wants a button), ``empty``, ``too_long`` (nothing stored), ``closed``.
        """
        current = await self.current(user_id)
        if current is None:
            raise DiagnosticError("no_question")
        step = await self._step(current.campaign.id, user_id, current.response.position)
        question = step.question
        if question is None or question.kind is not QuestionKind.TEXT:
            raise DiagnosticError("not_text", step=step)
        return await self._store(step, user_id, Answer(text=clean_text(question, text)))
