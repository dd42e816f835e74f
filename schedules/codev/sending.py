"""How co-development notices go out: to the group through the delivery engine, or to one member.

Used by handlers and jobs alike, so no notice module imports anything from ``conversations``.
Messages to the whole group go through the delivery engine (category ``codev``: members who
opted out, unsubscribed or blocked the bot are left out); one-to-one notices are sent directly
in the recipient's language. Nothing here arms a job: ``schedules.codev.jobs`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.context import MaillageContext
from bot.delivery import Attachment, Audience, Draft, Recipient
from bot.domain.codev.model import Group
from bot.i18n import Translator
from bot.localized import Renderer, localized_content
from bot.telling import tell_rendered
from schedules.deliveries import dispatch

CATEGORY = "codev"
Button = tuple[str, str]
ButtonRows = Callable[[Translator], Sequence[Sequence[Button]]]
YES_NO = ("yes", "no")


async def engine_send(
    context: MaillageContext,
    kind: str,
    render: Renderer,
    members: Sequence[int],
    chats: Sequence[Recipient] = (),
    *,
    urgent: bool = False,
    attach: Callable[[Translator], Attachment] | None = None,
) -> Audience:
    """Hand one message in every language to the delivery engine, due now, and arm it.

    ``urgent`` (a session under way) goes through members' quiet hours; ``attach`` gives
    the document sent after the text.
    """
    services = context.services
    content = localized_content(render, services.translator, services.settings.language, attach)
    draft = Draft(kind, CATEGORY, content, due_at=services.clock.now(), urgent=urgent)
    _, audience = await dispatch(context.application, services, draft, members, chats)
    return audience


async def everyone(context: MaillageContext, group: Group) -> list[int]:
    """The group's members and its facilitator."""
    ids = await context.services.codev.groups.member_ids(group.id)
    return ids + ([group.facilitator_id] if group.facilitator_id else [])


def group_chat(context: MaillageContext, group: Group, active: bool) -> list[Recipient]:
    """The group's Telegram chat as a recipient, in the network's language (if bound)."""
    if group.chat_id is None or not active:
        return []
    return [Recipient(group.chat_id, context.services.settings.language)]


async def tell(
    context: MaillageContext,
    user_id: int,
    key: str,
    buttons: ButtonRows | None = None,
    **params: Any,
) -> bool:
    """Send the catalog message ``key`` to a member in their language."""
    return await tell_rendered(context, user_id, lambda t: t(key, **params), buttons)
