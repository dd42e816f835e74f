"""Members and drafts for the delivery tests."""

from __future__ import annotations

from collections.abc import Iterable

from bot.delivery import Attachment, Content, Draft, Message
from bot.services import Services

OPT_OUT = {"inline_keyboard": [[{"text": "Se désabonner", "callback_data": "optout:1:news"}]]}


def draft(
    parts: Iterable[str] = ("<b>Bonjour</b>",),
    attachment: Attachment | None = None,
    **changes: object,
) -> Draft:
    """A newsletter draft: French ``parts`` and ``attachment``, English one part."""
    content = Content(
        {
            "fr": Message(tuple(parts), OPT_OUT, attachment),
            "en": Message(("<b>Hello</b>",), None),
        }
    )
    fields: dict[str, object] = {"kind": "newsletter", "category": "newsletter", "content": content}
    fields.update(changes)
    return Draft(**fields)  # type: ignore[arg-type]


async def add_members(services: Services, ids: Iterable[int], language: str = "fr") -> list[int]:
    """Members who consented (enough to receive sends)."""
    added = []
    for user_id in ids:
        await services.members.accept_privacy(user_id, language)
        added.append(user_id)
    return added
