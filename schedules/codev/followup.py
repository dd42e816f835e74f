"""The notice after a session: the client is asked how their commitments went."""

from __future__ import annotations

from bot.context import MaillageContext
from bot.delivery import Audience
from bot.domain.codev.model import Group, Session
from bot.i18n import Translator
from bot.localized import Rows
from schedules.codev.buttons import FOLLOWUP
from schedules.codev.sending import engine_send


async def ask_followup(context: MaillageContext, session: Session, group: Group) -> Audience | None:
    """Ask the client how their commitments went."""
    if session.client_id is None:
        return None

    def render(t: Translator) -> tuple[list[str], Rows]:
        rows = [[(t("codev.followup.start"), FOLLOWUP.pack(session=session.id))]]
        return [t("codev.followup.prompt", name=group.name)], rows

    return await engine_send(context, "codev_followup", render, [session.client_id])
