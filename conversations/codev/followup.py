"""Follow-up: the client says how each commitment went (done, in progress, dropped + a word)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.model import NOTE_MAX, Action, ActionStatus, CodevError
from bot.domain.members import Member
from bot.i18n import Translator
from bot.telling import tell_rendered
from conversations.codev.common import END, codev_handler, pressed, query_of
from conversations.codev.inputs import Typed, answer_of, answer_refused, text_state
from conversations.common import Button, acknowledge, close_buttons, markup_of, say
from schedules.codev.buttons import FOLLOWUP, FOLLOWUP_SKIP, FOLLOWUP_STATUS
from schedules.codev.text import day_text, person

INPUT = "followup"
STATUS_STATE = "codev:followup:status"
NOTE_STATE = "codev:followup:note"
STATUSES = tuple(ActionStatus)
NOTE_QUESTION = "codev.followup.ask_note"


async def _ask_next(
    update: Update, context: MaillageContext, member: Member, t: Translator, session_id: int
) -> int | str:
    """Ask about the next unanswered commitment, or thank and tell the facilitator."""
    codev = context.services.codev
    actions = await codev.plans.followup(member.user_id, session_id)
    pending = [a for a in actions if a.status is None]
    if pending:
        action = pending[0]
        due = day_text(t, action.due_on) if action.due_on else ""
        rows: list[list[Button]] = [
            [(t(f"codev.followup.status.{s}"), FOLLOWUP_STATUS.pack(action=action.id, status=s))]
            for s in STATUSES
        ]
        await say(
            update,
            t(
                "codev.followup.ask",
                position=action.position,
                total=len(actions),
                text=action.text,
                due=due,
            ),
            markup_of(rows),
        )
        return STATUS_STATE
    await codev.forget(member.user_id, INPUT)
    await say(update, t("codev.followup.thanks"))
    if await codev.plans.complete_followup(session_id):
        await _tell_facilitator(context, member, session_id, actions)
    return END


async def _tell_facilitator(
    context: MaillageContext, client: Member, session_id: int, actions: list[Action]
) -> None:
    codev = context.services.codev
    session = await codev.sessions.get(session_id)
    group = await codev.groups.get(session.group_id) if session else None
    if group is None or group.facilitator_id is None:
        return

    def render(ft: Translator) -> str:
        lines = [ft("codev.followup.notice", person=person(ft, client), name=group.name)]
        for action in actions:
            lines.append(
                ft(
                    "codev.followup.line",
                    text=action.text,
                    status=ft(f"codev.followup.status.{action.status}"),
                    note=action.note or "—",
                )
            )
        return "\n".join(str(line) for line in lines)

    await tell_rendered(context, group.facilitator_id, render)


@codev_handler(action="codev_followup")
async def on_followup(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | str | None:
    """The client opens the follow-up of their plan."""
    fields = await pressed(update, t, FOLLOWUP)
    if fields is None:
        return None
    codev = context.services.codev
    await codev.plans.followup(member.user_id, fields["session"])
    await codev.remember(member.user_id, INPUT, fields["session"])
    await acknowledge(query_of(update))
    return await _ask_next(update, context, member, t, fields["session"])


@codev_handler(action="codev_followup_status")
async def on_status(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """Done, in progress or dropped; then a word (optional)."""
    fields = await pressed(update, t, FOLLOWUP_STATUS, status=STATUSES)
    if fields is None:
        return None
    codev = context.services.codev
    status = ActionStatus(fields["status"])
    action = await codev.plans.record_status(member.user_id, fields["action"], status)
    await codev.remember(member.user_id, INPUT, action.session_id, {"action": action.id})
    label = t(f"codev.followup.status.{status}")
    await close_buttons(update, t("codev.followup.noted", text=action.text, status=label))
    rows = [[(t("codev.followup.no_note"), FOLLOWUP_SKIP.pack(action=action.id))]]
    await say(update, t(NOTE_QUESTION, limit=NOTE_MAX), markup_of(rows))
    return NOTE_STATE


async def _noted(
    update: Update, context: MaillageContext, member: Member, t: Translator, got: Typed
) -> int | str | None:
    """Keep the word (or none) for the commitment just answered, then the next one."""
    if "action" not in got.data:
        return END
    codev = context.services.codev
    text = got.text or None
    try:
        await codev.plans.note(member.user_id, got.data["action"], text)
    except CodevError as error:
        return await answer_refused(update, t, error, NOTE_QUESTION, limit=NOTE_MAX)
    await codev.remember(member.user_id, INPUT, got.ref)
    return await _ask_next(update, context, member, t, got.ref)


@codev_handler(action="codev_followup_note")
async def on_note(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | str | None:
    """A word about the commitment."""
    got = await answer_of(update, context, member, t, INPUT, NOTE_QUESTION, limit=NOTE_MAX)
    if not isinstance(got, Typed):
        return got
    return await _noted(update, context, member, t, got)


@codev_handler(action="codev_followup_skip")
async def on_skip(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | str | None:
    """Nothing to add."""
    fields = await pressed(update, t, FOLLOWUP_SKIP)
    if fields is None:
        return None
    recalled = await context.services.codev.recall(member.user_id, INPUT)
    if recalled is None or recalled[1].get("action") != fields["action"]:
        await acknowledge(query_of(update), t("buttons.expired"))
        return None
    await acknowledge(query_of(update))
    return await _noted(update, context, member, t, Typed(recalled[0] or 0, recalled[1], ""))


def entries() -> list[BaseHandler]:
    """The button that opens the follow-up."""
    return [CallbackQueryHandler(on_followup, pattern=FOLLOWUP.pattern)]


def states() -> dict[object, list[BaseHandler]]:
    """Waiting for a status, then a word."""
    return {
        STATUS_STATE: [CallbackQueryHandler(on_status, pattern=FOLLOWUP_STATUS.pattern)],
        NOTE_STATE: [
            text_state(on_note),
            CallbackQueryHandler(on_skip, pattern=FOLLOWUP_SKIP.pattern),
        ],
    }
