"""SQL of the usage statistics: the monthly counts and the published digests."""

from bot.storage.stats.digests import DigestStore
from bot.storage.stats.figures import FigureStore

__all__ = ["DigestStore", "FigureStore"]
