"""Shared steps of the FAQ end-to-end tests."""

from __future__ import annotations

from typing import Any

from bot.domain.faq import Entry, Version
from bot.sandbox import SimUser
from tests.e2e.conftest import Network

ROLE_REFUSED = "réservée à l’équipe d’animation"


async def answer(user: SimUser, text: str, expected: str) -> dict[str, Any]:
    """Send ``text`` and return the bot's answer containing ``expected``."""
    await user.send(text)
    return await user.expect(expected)


async def seeded_entry(network: Network, theme: str = "Le réseau | The network") -> Entry:
    """One entry in both languages, in a theme of its own."""
    faq = network.services.faq
    created = await faq.add_theme(theme)
    return await faq.add_entry(
        created.id,
        Version("Qu’est-ce que le réseau ?", "Les <b>80</b> maisons France Services."),
        Version("What is the network?", "The <b>80</b> France Services houses."),
    )
