"""The client's action plan (one to five actions, each with a day) and participants' learnings."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.model import ACTION_MAX, LEARNING_MAX, MAX_ACTIONS, CodevError
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.codev.common import END, codev_handler, pressed
from conversations.codev.inputs import Typed, answer_of, answer_refused, ask, text_state
from conversations.common import close_buttons, markup_of, say
from schedules.codev.buttons import LEARN, PLAN, PLAN_DONE
from schedules.codev.jobs import FOLLOWUP_JOB, arm_rows
from schedules.codev.sending import tell
from schedules.codev.text import day_text, person

PLAN_INPUT = "plan"
LEARNING_INPUT = "learning"
ACTION_STATE = "codev:plan:action"
DUE_STATE = "codev:plan:due"
LEARNING_STATE = "codev:learning"


def _action_params(number: int) -> dict[str, int]:
    return {"number": number, "limit": ACTION_MAX, "most": MAX_ACTIONS}


@codev_handler(action="codev_plan")
async def on_plan(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """The client starts writing their plan (from the synthesis step on)."""
    fields = await pressed(update, t, PLAN)
    if fields is None:
        return None
    session = await context.services.codev.plans.begin_plan(member.user_id, fields["session"])
    question = t("codev.plan.ask_action", **_action_params(1))
    await ask(update, context, member, PLAN_INPUT, session.id, question)
    return ACTION_STATE


@codev_handler(action="codev_plan_action")
async def on_action(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """One commitment, then its day."""
    got = await answer_of(
        update, context, member, t, PLAN_INPUT, "codev.plan.again", limit=ACTION_MAX
    )
    return await _typed(update, context, member, t, got)


@codev_handler(action="codev_plan_due")
async def on_due(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """The day of the commitment; then another one, or the plan is complete at five."""
    got = await answer_of(update, context, member, t, PLAN_INPUT, "codev.plan.again_due")
    return await _typed(update, context, member, t, got)


async def _typed(
    update: Update,
    context: MaillageContext,
    member: Member,
    t: Translator,
    got: Typed | int | None,
) -> str | int | None:
    """A text for the plan: the day of the action it waits for, else a new action.

    The database says which (``codev_inputs``), not the conversation state: a state saved
    up to a second late is the one read back after a ``kill -9``.
    """
    if not isinstance(got, Typed):
        return got
    if "action" in got.data:
        return await _day_typed(update, context, member, t, got)
    return await _action_typed(update, context, member, t, got)


async def _action_typed(
    update: Update, context: MaillageContext, member: Member, t: Translator, got: Typed
) -> str | int | None:
    codev = context.services.codev
    actions = await codev.plans.actions(got.ref)
    if codev.plans.names_a_day(got.text):  # a day answered again after its reply was lost
        await say(update, t("codev.plan.again", limit=ACTION_MAX))
        return await _ask_action(update, t, got.ref, len(actions) + 1)
    undated = [a for a in actions if a.due_on is None and a.text == (got.text or "").strip()]
    try:
        # The same action typed again (its « pour quand ? » lost in a crash) is not added twice.
        action = (
            undated[0]
            if undated
            else await codev.plans.add_action(member.user_id, got.ref, got.text)
        )
    except CodevError as error:
        return await answer_refused(update, t, error, "codev.plan.again", limit=ACTION_MAX)
    await codev.remember(member.user_id, PLAN_INPUT, got.ref, {"action": action.id})
    await say(update, t("codev.plan.ask_due", text=action.text))
    return DUE_STATE


async def _day_typed(
    update: Update, context: MaillageContext, member: Member, t: Translator, got: Typed
) -> str | int | None:
    codev = context.services.codev
    actions = await codev.plans.actions(got.ref)
    pending = next((a for a in actions if a.id == got.data["action"]), None)
    if pending is not None and (got.text or "").strip() == pending.text:
        # The action typed again: its « pour quand ? » was lost in a crash; ask it now.
        await say(update, t("codev.plan.ask_due", text=pending.text))
        return DUE_STATE
    try:
        action = await codev.plans.date_action(member.user_id, got.data["action"], got.text)
    except DateTimeInputError as error:
        await say(update, t(f"codev.error.day_{error.code}"))
        await say(update, t("codev.plan.again_due"))
        return DUE_STATE
    if action.position < MAX_ACTIONS:  # written before telling: a kill between the two
        await codev.remember(member.user_id, PLAN_INPUT, got.ref)  # replies awaits an action
    due = day_text(t, action.due_on) if action.due_on else ""
    await say(update, t("codev.plan.noted", text=action.text, due=due))
    if action.position >= MAX_ACTIONS:
        return await _finish(update, context, member, t, got.ref)
    return await _ask_action(update, t, got.ref, action.position + 1)


async def _ask_action(update: Update, t: Translator, session_id: int, number: int) -> str:
    """Ask for action ``number`` (from the second one, « C’est tout » ends the plan)."""
    if number <= 1:
        await say(update, t("codev.plan.ask_action", **_action_params(1)))
        return ACTION_STATE
    rows = [[(t("codev.plan.done"), PLAN_DONE.pack(session=session_id))]]
    await say(update, t("codev.plan.ask_more", **_action_params(number)), markup_of(rows))
    return ACTION_STATE


async def _finish(
    update: Update, context: MaillageContext, member: Member, t: Translator, session_id: int
) -> int:
    """Confirm the plan, tell the facilitator, arm the follow-up."""
    services = context.services
    codev = services.codev
    session, actions = await codev.plans.finish_plan(member.user_id, session_id)
    await codev.forget(member.user_id, PLAN_INPUT)
    lines = [t("codev.plan.recorded", n=len(actions))]
    for action in actions:
        due = day_text(t, action.due_on) if action.due_on else ""
        lines.append(t("codev.plan.line", position=action.position, text=action.text, due=due))
    await say(update, "\n".join(str(line) for line in lines))
    group = await codev.groups.get(session.group_id)
    if group is not None and group.facilitator_id is not None:
        await tell(
            context,
            group.facilitator_id,
            "codev.plan.notice",
            person=person(t, member),
            name=group.name,
            n=len(actions),
        )
    await arm_rows(context.application, services, FOLLOWUP_JOB)
    return END


@codev_handler(action="codev_plan_done")
async def on_plan_done(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | None:
    """'That is all': the plan is complete."""
    fields = await pressed(update, t, PLAN_DONE)
    if fields is None:
        return None
    ended = await _finish(update, context, member, t, fields["session"])
    await close_buttons(update, t("codev.plan.done"))
    return ended


@codev_handler(action="codev_learning")
async def on_learn(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """A participant starts writing what they learned."""
    fields = await pressed(update, t, LEARN)
    if fields is None:
        return None
    session = await context.services.codev.plans.may_learn(member.user_id, fields["session"])
    question = t("codev.learning.ask", limit=LEARNING_MAX)
    await ask(update, context, member, LEARNING_INPUT, session.id, question)
    return LEARNING_STATE


@codev_handler(action="codev_learning_typed")
async def on_learning(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | None:
    """Store the learning."""
    limit = LEARNING_MAX
    got = await answer_of(
        update, context, member, t, LEARNING_INPUT, "codev.learning.ask", limit=limit
    )
    if not isinstance(got, Typed):
        return got
    codev = context.services.codev
    try:
        await codev.plans.learn(member.user_id, got.ref, got.text)
    except CodevError as error:
        return await answer_refused(update, t, error, "codev.learning.ask", limit=LEARNING_MAX)
    await codev.forget(member.user_id, LEARNING_INPUT)
    await say(update, t("codev.learning.recorded"))
    return END


def entries() -> list[BaseHandler]:
    """Buttons that start a plan or a learning."""
    return [
        CallbackQueryHandler(on_plan, pattern=PLAN.pattern),
        CallbackQueryHandler(on_learn, pattern=LEARN.pattern),
    ]


def states() -> dict[object, list[BaseHandler]]:
    """Waiting for an action, its day, or a learning."""
    return {
        ACTION_STATE: [
            text_state(on_action),
            CallbackQueryHandler(on_plan_done, pattern=PLAN_DONE.pattern),
        ],
        DUE_STATE: [text_state(on_due)],
        LEARNING_STATE: [text_state(on_learning)],
    }
