"""Notices of a guided session: each step announced, its time box over, the end."""

from __future__ import annotations

from bot.context import MaillageContext
from bot.domain.codev.model import LEARNINGS_STEP, STEPS, SYNTHESIS_STEP, Group, GuideMode, Session
from bot.i18n import Translator
from bot.localized import Rows
from bot.telling import inline_markup
from schedules.codev.buttons import LEARN, PLAN, STEP
from schedules.codev.sending import Button, engine_send, tell
from schedules.codev.text import clock_time


def step_text(t: Translator, session: Session, group: Group) -> str:
    """The announcement of the session's current step with its time box."""
    key = STEPS[session.step - 1]
    return str(
        t(
            "codev.step.announce",
            name=group.name,
            number=session.step,
            total=len(STEPS),
            step=t(f"codev.step.name.{key}"),
            what=t(f"codev.step.what.{key}"),
            minutes=session.step_minutes[session.step - 1],
            until=clock_time(t, session.step_ends_at),
        )
    )


def step_rows(t: Translator, session: Session) -> list[list[Button]]:
    """The facilitator's button: next step, or end of the session after the last."""
    key = "codev.step.finish" if session.step >= len(STEPS) else "codev.step.next"
    return [[(t(key), STEP.pack(session=session.id, step=session.step))]]


async def announce_step(context: MaillageContext, session: Session, group: Group) -> None:
    """Announce the step where it runs; the facilitator's copy carries the button."""
    services = context.services
    members = await services.codev.groups.member_ids(group.id)
    if session.guide_mode is GuideMode.CHAT and group.chat_id is not None:
        t = services.translator(services.settings.language)
        await context.bot.send_message(
            group.chat_id,
            step_text(t, session, group),
            reply_markup=inline_markup(step_rows(t, session)),
        )
    else:
        await engine_send(
            context,
            "codev_step",
            lambda t: ([step_text(t, session, group)], []),
            members,
            urgent=True,
        )
        if group.facilitator_id is not None:
            facilitator = await services.members.get(group.facilitator_id)
            t = services.translator(facilitator.language if facilitator else "fr")
            await context.bot.send_message(
                group.facilitator_id,
                step_text(t, session, group),
                reply_markup=inline_markup(step_rows(t, session)),
            )
    if session.step == SYNTHESIS_STEP and session.client_id is not None:
        await tell(
            context,
            session.client_id,
            "codev.plan.prompt",
            lambda t: [[(t("codev.plan.start"), PLAN.pack(session=session.id))]],
            name=group.name,
        )
    if session.step == LEARNINGS_STEP:

        def prompt(t: Translator) -> tuple[list[str], Rows]:
            rows = [[(t("codev.learning.start"), LEARN.pack(session=session.id))]]
            return [t("codev.learning.prompt", name=group.name)], rows

        await engine_send(context, "codev_learning", prompt, members, urgent=True)


async def announce_end(context: MaillageContext, session: Session, group: Group) -> None:
    """The session is over: thanks where it ran."""
    services = context.services
    if session.guide_mode is GuideMode.CHAT and group.chat_id is not None:
        t = services.translator(services.settings.language)
        await context.bot.send_message(group.chat_id, t("codev.step.over", name=group.name))
        return
    members = await services.codev.groups.member_ids(group.id)
    await engine_send(
        context,
        "codev_step",
        lambda t: ([t("codev.step.over", name=group.name)], []),
        members,
        urgent=True,
    )


async def alert_step(context: MaillageContext, session: Session, group: Group) -> None:
    """Tell the facilitator (or the group chat) that the step's time box is over."""
    services = context.services
    key = STEPS[session.step - 1]
    if session.guide_mode is GuideMode.CHAT and group.chat_id is not None:
        t = services.translator(services.settings.language)
        await context.bot.send_message(
            group.chat_id,
            t("codev.step.time_up", step=t(f"codev.step.name.{key}"), number=session.step),
        )
    elif group.facilitator_id is not None:
        facilitator = await services.members.get(group.facilitator_id)
        t = services.translator(facilitator.language if facilitator else "fr")
        await tell(
            context,
            group.facilitator_id,
            "codev.step.time_up",
            step=t(f"codev.step.name.{key}"),
            number=session.step,
        )
