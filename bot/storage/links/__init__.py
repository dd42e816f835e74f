"""The links' SQL: linked accounts, pending codes and wrong tries."""

from bot.storage.links.store import LinkStore

__all__ = ["LinkStore"]
