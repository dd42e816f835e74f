"""Coming into a group: invitation links, the charter, requests to join, seats offered."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.model import CodevError, Group, SeatStatus
from bot.domain.members import Member, Role
from bot.i18n import Translator
from bot.telling import tell_rendered
from conversations.codev.common import codev_handler, error_text, pressed, query_of
from conversations.common import Button, acknowledge, close_buttons, markup_of, say
from conversations.deep_links import register_deep_link
from conversations.onboarding_buttons import CONFIRM
from schedules.codev.buttons import CHARTER, DECIDE, OFFER, REQUEST, REQUESTS
from schedules.codev.jobs import offer_next
from schedules.codev.joining import charter_buttons, charter_params
from schedules.codev.sending import tell
from schedules.codev.text import person

DEEP_LINK_KIND = "codev"


YES_NO = ("yes", "no")


async def send_charter(update: Update, t: Translator, group: Group) -> None:
    """Show the group and its charter, to accept before coming in."""
    rows = charter_buttons(group.id)(t)
    await say(update, t("codev.charter.prompt", **charter_params(group, t)), markup_of(rows))


async def tell_facilitator_joined(
    context: MaillageContext, group: Group, member: Member, t: Translator
) -> None:
    """The facilitator learns that someone took a seat."""
    if group.facilitator_id is not None:
        await tell(
            context,
            group.facilitator_id,
            "codev.notice.joined",
            person=person(t, member),
            name=group.name,
        )


async def on_deep_link(update: Update, context: MaillageContext, code: str, t: Translator) -> None:
    """``/start codev-<code>``: check the code and keep the way in, even before registration."""
    user = update.effective_user
    assert user is not None
    services = context.services
    try:
        group = await services.codev.groups.use_code(user.id, code)
    except CodevError as error:
        await say(update, error_text(t, error))
        return
    member = await services.members.get(user.id)
    if member is None or not member.is_registered:
        await say(update, t("codev.join.register_first", name=group.name))
        return
    await send_charter(update, t, group)


async def after_registration(update: Update, context: MaillageContext) -> None:
    """A newcomer who came through an invitation lands in the group once registered."""
    user = update.effective_user
    assert user is not None
    services = context.services
    member = await services.members.get(user.id)
    if member is None or not member.is_registered:
        return
    t = services.translator(member.language)
    for group in await services.codev.groups.waiting_charters(user.id):
        await send_charter(update, t, group)


@codev_handler(action="codev_charter")
async def on_charter(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Accept the charter (a seat, or the waiting list) or decline it."""
    fields = await pressed(update, t, CHARTER, answer=YES_NO)
    if fields is None:
        return
    group_id = fields["group"]
    groups = context.services.codev.groups
    if fields["answer"] == "no":
        await groups.decline_charter(member.user_id, group_id)
        await close_buttons(update, t("codev.charter.declined"))
        return
    group, status = await groups.accept_charter(member.user_id, group_id)
    if status is SeatStatus.MEMBER:
        await close_buttons(update, t("codev.charter.joined", name=group.name))
        await tell_facilitator_joined(context, group, member, t)
    else:
        await close_buttons(update, t("codev.charter.waiting", name=group.name))


@codev_handler(action="codev_request")
async def on_request(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Ask a group's facilitator for a seat."""
    fields = await pressed(update, t, REQUEST)
    if fields is None:
        return
    group = await context.services.codev.groups.request_join(member.user_id, fields["group"])
    await acknowledge(query_of(update))
    await say(update, t("codev.request.sent", name=group.name))
    assert group.facilitator_id is not None

    await tell(
        context,
        group.facilitator_id,
        "codev.request.notice",
        lambda ft: decide_rows(ft, group.id, member.user_id),
        person=person(t, member),
        name=group.name,
    )


def decide_rows(t: Translator, group_id: int, user_id: int) -> list[list[Button]]:
    """Accept or refuse one request to join."""
    return [
        [
            (t(f"codev.request.{answer}"), DECIDE.pack(group=group_id, user=user_id, answer=answer))
            for answer in YES_NO
        ]
    ]


@codev_handler(Role.FACILITATOR, "codev_requests")
async def on_requests(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The facilitator sees the requests waiting, each with its buttons."""
    fields = await pressed(update, t, REQUESTS)
    if fields is None:
        return
    groups = context.services.codev.groups
    pending = await groups.requests(member.user_id, fields["group"])
    await acknowledge(query_of(update))
    if not pending:
        await say(update, t("codev.request.none"))
        return
    group = await groups.get(fields["group"])
    assert group is not None
    for holder in pending:
        text = t("codev.request.notice", person=person(t, holder.member), name=group.name)
        rows = decide_rows(t, group.id, holder.seat.user_id)
        await say(update, text, markup_of(rows))


@codev_handler(Role.FACILITATOR, "codev_decide")
async def on_decide(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The facilitator approves a request (the charter is sent) or refuses it."""
    fields = await pressed(update, t, DECIDE, answer=YES_NO)
    if fields is None:
        return
    group_id, person_id, approve = fields["group"], fields["user"], fields["answer"] == "yes"
    services = context.services
    group = await services.codev.groups.decide(member.user_id, group_id, person_id, approve)
    asker = await services.members.get(person_id)
    if group is None:
        await close_buttons(update, t("codev.request.already_decided"))
        return
    outcome = "codev.request.approved" if approve else "codev.request.refused"
    await close_buttons(update, t(outcome, person=person(t, asker), name=group.name))
    if approve:
        await tell_rendered(
            context,
            person_id,
            lambda tt: tt("codev.charter.prompt", **charter_params(group, tt)),
            charter_buttons(group.id),
        )
    else:
        await tell(context, person_id, "codev.request.refused_notice", name=group.name)


@codev_handler(action="codev_offer")
async def on_offer(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Take or leave a seat offered from the waiting list."""
    fields = await pressed(update, t, OFFER, answer=YES_NO)
    if fields is None:
        return
    accept = fields["answer"] == "yes"
    groups = context.services.codev.groups
    departure = await groups.answer_offer(member.user_id, fields["group"], accept)
    group = departure.group
    if accept:
        await close_buttons(update, t("codev.offer.taken", name=group.name))
        await tell_facilitator_joined(context, group, member, t)
        return
    await close_buttons(update, t("codev.offer.left", name=group.name))
    await offer_next(context, departure)


def build() -> list[BaseHandler]:
    """Handlers of the ways in (the deep link is routed by /start)."""
    register_deep_link(DEEP_LINK_KIND, on_deep_link)
    return [
        CallbackQueryHandler(on_charter, pattern=CHARTER.pattern),
        CallbackQueryHandler(on_request, pattern=REQUEST.pattern),
        CallbackQueryHandler(on_decide, pattern=DECIDE.pattern),
        CallbackQueryHandler(on_requests, pattern=REQUESTS.pattern),
        CallbackQueryHandler(on_offer, pattern=OFFER.pattern),
    ]


def after_registration_handler() -> BaseHandler:
    """Runs after onboarding's confirmation (a later handler group): pending invitations."""
    return CallbackQueryHandler(after_registration, pattern=CONFIRM.pattern)
