"""One module per flow; ``build_handlers`` lists them in the order they must be tried."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations import (
    audit,
    codev,
    diagnostic,
    directory,
    fallback,
    faq,
    language,
    links,
    menu,
    newsletter,
    onboarding,
    privacy,
    profile,
    projects,
    roles,
    stats,
    unserved,
    visio,
)

UNSERVED_GROUP = -2  # updates no feature serves stop here (conversations.unserved)
BOT_MEMBERSHIP_GROUP = -1
AFTER_FEATURES_GROUP = 1  # runs after group 0 handled the update (e.g. onboarding's last step)


def build_handlers() -> dict[int, list[BaseHandler]]:
    """Handlers by group; in group 0 the first match wins, so the catch-alls come last."""
    features = [
        *links.code_typed(),  # a linking code ends a registration begun on the other side
        *onboarding.build(),
        *profile.build(),
        *menu.build(),
        *language.build(),
        *privacy.build(),
        *roles.build(),
        *audit.build(),
        *projects.conversation(),
        *codev.build(),
        *diagnostic.build(),
        *visio.build(),
        *projects.build(),
        *newsletter.build(),
        *stats.build(),
        *faq.build(),
        *directory.build(),
        *links.build(),
    ]
    return {
        UNSERVED_GROUP: [unserved.UnservedUpdateHandler()],
        BOT_MEMBERSHIP_GROUP: [fallback.bot_membership_handler()],
        0: [*features, *fallback.build()],
        AFTER_FEATURES_GROUP: [codev.after_registration_handler()],
    }
