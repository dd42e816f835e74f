"""SQL for the delivery engine: sends (the outbox), their recipient rows, members' preferences."""

from __future__ import annotations

from bot.storage.db import Database
from bot.storage.deliveries.preferences import PreferenceQueries
from bot.storage.deliveries.rows import DeliveryRowQueries
from bot.storage.deliveries.sends import SendQueries


class DeliveryStore(SendQueries, DeliveryRowQueries, PreferenceQueries):
    """Reads and writes sends, delivery rows and opt-outs."""

    def __init__(self, db: Database) -> None:
        self._db = db
