"""Shared steps of the projects end-to-end tests: proposing, answering a step."""

from __future__ import annotations

from bot.sandbox import SimUser

PROBLEM = "Les usagers ne trouvent pas l’aide en ligne"
AUDIENCE = "Les usagers des Maisons France Services, associés dès le départ"
NEEDS = "Deux agents volontaires et une salle"


async def answer(user: SimUser, text: str, expected: str) -> dict:
    """Send ``text`` and return the bot's answer containing ``expected``."""
    await user.send(text)
    return await user.expect(expected)


async def propose(user: SimUser, title: str) -> dict:
    """The member proposes a project through /projets and types every field."""
    await answer(user, "/projets", "Projets stratégiques du réseau")
    await user.tap("💡 Proposer un projet")
    await user.expect("Quel est le titre de votre projet")
    await answer(user, title, "Quel problème veut-il résoudre")
    await answer(user, PROBLEM, "Pour qui ?")
    await answer(user, AUDIENCE, "De quoi avez-vous besoin")
    return await answer(user, NEEDS, "est proposé")


async def meet_all(user: SimUser, count: int) -> None:
    """The holder marks the ``count`` criteria of the checklist shown as met, no comment."""
    for number in range(1, count + 1):
        await user.tap(f"{number}. ✅")
        await user.expect(f"C’est noté pour le critère {number}")
        await answer(user, "/passer", "sans commentaire")
