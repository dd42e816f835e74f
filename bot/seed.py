"""Registering members directly through the services (demo network, tests, benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.members import Role
from bot.services import Services


@dataclass(frozen=True)
class Profile:
    """The four profile answers of a seeded member."""

    display_name: str
    organisation: str
    territory: str
    function: str


async def seed_member(
    services: Services,
    user_id: int,
    profile: Profile,
    language: str = "fr",
    role: Role | None = None,
) -> None:
    """A member who consented, answered the four questions and confirmed."""
    members = services.members
    await members.accept_privacy(user_id, language)
    for field in ("display_name", "organisation", "territory", "function"):
        await members.set_profile_field(user_id, field, getattr(profile, field))
    await members.complete_registration(user_id)
    if role is not None:
        await services.members.force_role(user_id, role)
