"""Notices about coming into a group: the charter to accept, a seat offered from the list."""

from __future__ import annotations

from bot.context import MaillageContext
from bot.domain.codev.model import OFFER_VALIDITY, Group
from bot.i18n import Translator
from schedules.codev.buttons import CHARTER, OFFER
from schedules.codev.sending import YES_NO, Button, ButtonRows, tell


def charter_buttons(group_id: int) -> ButtonRows:
    """Accept or decline a group's charter."""

    def rows(t: Translator) -> list[list[Button]]:
        return [
            [(t("codev.charter.accept"), CHARTER.pack(group=group_id, answer="yes"))],
            [(t("codev.charter.decline"), CHARTER.pack(group=group_id, answer="no"))],
        ]

    return rows


def charter_params(group: Group, t: Translator) -> dict[str, str]:
    """What the charter message shows of a group.

    A charter cleared when its author erased their data shows the network's default one.
    """
    charter = group.charter or str(t("codev.charter.default"))
    return {"name": group.name, "theme": group.theme, "charter": charter}


def offer_buttons(group_id: int) -> ButtonRows:
    """Take or leave a seat offered from the waiting list."""

    def rows(t: Translator) -> list[list[Button]]:
        return [
            [
                (t(f"codev.offer.{answer}"), OFFER.pack(group=group_id, answer=answer))
                for answer in YES_NO
            ]
        ]

    return rows


async def offer_seat(context: MaillageContext, group: Group, user_id: int) -> None:
    """Tell the next person on the waiting list that a seat is theirs if they want it."""
    hours = int(OFFER_VALIDITY.total_seconds() // 3600)
    await tell(
        context,
        user_id,
        "codev.offer.prompt",
        offer_buttons(group.id),
        name=group.name,
        hours=hours,
    )
