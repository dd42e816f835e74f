"""SQL of the monthly video sessions: settings, topics, sessions and steps, ballots, RSVPs."""

from bot.storage.visio.attendance import AttendanceStore
from bot.storage.visio.ballots import BallotStore
from bot.storage.visio.sessions import SessionStore
from bot.storage.visio.settings import SettingsStore
from bot.storage.visio.topics import TopicStore

__all__ = [
    "AttendanceStore",
    "BallotStore",
    "SessionStore",
    "SettingsStore",
    "TopicStore",
]
