"""The linked account in /preferences: where messages go, the choice, and the unlink button.

``conversations.newsletter.preferences`` shows this section (nothing without a link) and
calls :func:`choose_messenger` for the choice button, then shows the screen again.
"""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.links import Link, other_transport
from bot.domain.members import Member
from bot.i18n import Translator
from bot.localized import Rows
from conversations.common import acknowledge, unpack_press
from conversations.links.buttons import SEND_TO, TRANSPORTS, UNLINK, messenger


def messenger_section(t: Translator, link: Link | None) -> tuple[list[str], Rows]:
    """The lines and buttons about the member's linked account (none without a link)."""
    if link is None:
        return [], []
    other = other_transport(link.messages_to)
    line = t(
        "links.preferences.linked",
        linked=messenger(t, link.transport),
        messenger=messenger(t, link.messages_to),
    )
    send_to = t("links.button.send_to", messenger=messenger(t, other))
    unlink = t("links.button.unlink", linked=messenger(t, link.transport))
    rows: Rows = [
        [(str(send_to), SEND_TO.pack(t=other.value))],
        [(str(unlink), UNLINK.pack(a=link.account_id))],
    ]
    return [str(line)], rows


async def choose_messenger(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> bool:
    """Apply the messenger chosen; False once a stale or forged press was answered."""
    data = await unpack_press(update, t, SEND_TO, lambda d: d["t"] in TRANSPORTS)
    if data is None:
        return False
    links = context.services.links
    if await links.link_of(member.user_id) is None:
        assert update.callback_query is not None
        await acknowledge(update.callback_query, t("buttons.expired"))
        return False
    await links.send_to(member.user_id, TRANSPORTS[data["t"]])
    return True
