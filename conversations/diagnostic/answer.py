"""Answering a questionnaire: one question per message, progress, back, skip, finish later.

Buttons edit the question message in place (the next question replaces it); a typed
answer to a free-text question gets the next question as a new message. Every answer is
committed at once; the conversation state only says "a free text is awaited" and is
persisted, so a restart changes nothing for the member.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.diagnostic.answering import Move, Step
from bot.domain.diagnostic.model import DiagnosticError
from bot.domain.diagnostic.questionnaire import QuestionKind
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import (
    acknowledge,
    close_buttons,
    markup_of,
    member_only,
    replace_with,
    say,
)
from conversations.diagnostic.render import (
    ANSWER,
    EDIT,
    LATER,
    NAV,
    TOGGLE,
    TOGGLE_V1,
    step_view,
)
from schedules.diagnostic.messages import GO

TEXT_STATE = "dq_text"
VERSION_2 = re.compile(rf"^{TOGGLE.prefix}:{TOGGLE.version}:")
State = str | int


def refusal_text(t: Translator, error: DiagnosticError) -> str:
    """Why an answer was not taken, in the member's words."""
    if error.code == "expired":
        return t("buttons.expired")
    details = dict(error.details)
    for key, name in (("closes_at", "closes"), ("opens_at", "opens")):
        if isinstance(instant := details.pop(key, None), datetime):
            details[name] = t.datetime(instant)
    return t(f"diagnostic.answer.{error.code}", **details)


async def typed_text(update: Update, t: Translator) -> str | None:
    """The text the member typed, or None after asking for text (a sticker, a photo…)."""
    message = update.effective_message
    assert message is not None
    if not message.text:
        await say(update, t("diagnostic.text_expected"))
        return None
    return message.text


def _state(step: Step) -> State:
    question = step.question
    return (
        TEXT_STATE if question and question.kind is QuestionKind.TEXT else ConversationHandler.END
    )


def _numbers(values: dict[str, str] | None, *names: str) -> tuple[int, ...] | None:
    if values is None or not all(values[name].isdigit() for name in names):
        return None
    return tuple(int(values[name]) for name in names)


async def show_step(update: Update, t: Translator, step: Step, *, edit: bool) -> State:
    """Show the member's question (or summary): in place of the pressed message, or anew."""
    text, rows = step_view(t, step)
    query = update.callback_query
    if edit and query is not None:
        await replace_with(update, text, rows)
    else:
        if query is not None:
            await acknowledge(query)
        await say(update, text, markup_of(rows))
    return _state(step)


async def _refuse(update: Update, t: Translator, error: DiagnosticError) -> State:
    query = update.callback_query
    assert query is not None
    await acknowledge(query, refusal_text(t, error), alert=error.code != "expired")
    return ConversationHandler.END


Show = Callable[[Update, Translator, Step], Awaitable[State]]


async def _show_in_place(update: Update, t: Translator, step: Step) -> State:
    return await show_step(update, t, step, edit=True)


async def _show_anew(update: Update, t: Translator, step: Step) -> State:
    return await show_step(update, t, step, edit=False)


async def _show_paused(update: Update, t: Translator, step: Step) -> State:
    """Finish later: every answer is already stored; say until when they can come back."""
    closes = t.datetime(step.campaign.closes_at)
    await close_buttons(update, t("diagnostic.answer.later", closes=closes))
    return ConversationHandler.END


async def _press(
    update: Update,
    t: Translator,
    spec: CallbackSpec,
    call: Callable[..., Awaitable[Step]],
    show: Show = _show_in_place,
) -> State:
    """Read a button's numbers, run ``call`` with them, and show the member's new step."""
    query = update.callback_query
    assert query is not None
    numbers = _numbers(spec.unpack(query.data), *(f for f in spec.fields if f != "m"))
    try:
        if numbers is None:
            raise DiagnosticError("expired")
        step = await call(*numbers)
    except DiagnosticError as error:
        return await _refuse(update, t, error)
    return await show(update, t, step)


@member_only(action="diagnostic_go")
async def on_go(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Start or resume a questionnaire from an invitation, a reminder or /diagnostic."""
    answering = context.services.diagnostics.answering

    async def begin(campaign: int) -> Step:
        return (await answering.begin(campaign, member.user_id))[0]

    return await _press(update, t, GO, begin, _show_anew)


@member_only(action="diagnostic_answer")
async def on_answer(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A Likert or single-choice option: stored, then the next question in place."""
    answering = context.services.diagnostics.answering
    return await _press(
        update, t, ANSWER, lambda c, p, o: answering.choose(c, member.user_id, p, o)
    )


@member_only(action="diagnostic_toggle")
async def on_toggle(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A multiple-choice option: ticked or unticked, the same question shown again."""
    answering = context.services.diagnostics.answering
    return await _press(
        update, t, TOGGLE, lambda c, p, o, w: answering.toggle(c, member.user_id, p, o, w == 1)
    )


@member_only(action="diagnostic_toggle")
async def on_toggle_v1(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A multiple-choice button drawn before version 2: a plain toggle."""
    answering = context.services.diagnostics.answering
    return await _press(
        update, t, TOGGLE_V1, lambda c, p, o: answering.toggle(c, member.user_id, p, o)
    )


@member_only(action="diagnostic_edit")
async def on_edit(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """From the summary: go back to one question to change its answer."""
    answering = context.services.diagnostics.answering
    return await _press(update, t, EDIT, lambda c, p: answering.revisit(c, member.user_id, p))


@member_only(action="diagnostic_nav")
async def on_nav(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Back, skip, "je ne sais pas", confirm a multiple choice, or finish later."""
    query = update.callback_query
    assert query is not None
    values = NAV.unpack(query.data)
    move = values["m"] if values else ""
    answering = context.services.diagnostics.answering
    if move == LATER:
        return await _press(
            update, t, NAV, lambda c, p: answering.at(c, member.user_id, p), _show_paused
        )
    if move not in {m.value for m in Move}:
        return await _refuse(update, t, DiagnosticError("expired"))
    return await _press(
        update, t, NAV, lambda c, p: answering.move(c, member.user_id, p, Move(move))
    )


@member_only(action="diagnostic_text")
async def on_text(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """A typed answer to the current free-text question."""
    text = await typed_text(update, t)
    if text is None:
        return TEXT_STATE
    try:
        step = await context.services.diagnostics.answering.write(member.user_id, text)
    except DiagnosticError as error:
        if error.code == "no_question":
            await say(update, t("diagnostic.no_text_question"))
            return ConversationHandler.END
        if error.code == "not_text":
            await say(update, t("diagnostic.use_buttons"))
            return await show_step(update, t, error.details["step"], edit=False)  # type: ignore[arg-type]
        await say(update, refusal_text(t, error))
        return TEXT_STATE if error.code in ("too_long", "empty") else ConversationHandler.END
    return await show_step(update, t, step, edit=False)


def buttons() -> list[BaseHandler]:
    """The answering buttons, valid in and out of the conversation."""
    return [
        CallbackQueryHandler(on_go, pattern=GO.pattern),
        CallbackQueryHandler(on_answer, pattern=ANSWER.pattern),
        CallbackQueryHandler(on_toggle, pattern=VERSION_2),
        CallbackQueryHandler(on_toggle_v1, pattern=TOGGLE_V1.pattern),
        CallbackQueryHandler(on_nav, pattern=NAV.pattern),
        CallbackQueryHandler(on_edit, pattern=EDIT.pattern),
    ]


def build() -> list[BaseHandler]:
    """The answering conversation, persisted across restarts."""
    return [
        ConversationHandler(
            entry_points=buttons(),
            states={TEXT_STATE: [MessageHandler(~filters.COMMAND, on_text), *buttons()]},
            fallbacks=cancel_handlers(),
            name="diagnostic_answer",
            persistent=True,
            allow_reentry=True,
        )
    ]
