"""The links' buttons, and the messenger names shown in their messages."""

from __future__ import annotations

from markupsafe import Markup

from bot.callback_data import CallbackSpec
from bot.i18n import Translator
from bot.transports import Transport

UNLINK = CallbackSpec("link_undo", "a")
SEND_TO = CallbackSpec("link_to", "t")
TRANSPORTS = {transport.value: transport for transport in Transport}


def messenger(t: Translator, transport: Transport | str) -> Markup:
    """The messenger's name in the member's language."""
    return t(f"links.messenger.{Transport(transport).value}")
