"""/stats: usage statistics for the animators, and the published digests for the members.

The animators see figures, chart and exports and publish a month; members read what was
published.
"""

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from conversations.stats import files, member, panel, publishing
from schedules.stats.buttons import (
    CANCEL,
    CHART,
    CONFIRM,
    EXPORT,
    MENU,
    MONTHLY,
    PUBLISH,
    SEEN,
    VIEW,
)


def build() -> list[BaseHandler]:
    """The command and every button of the statistics."""
    return [
        CommandHandler("stats", panel.stats_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(panel.on_menu, pattern=MENU.pattern),
        CallbackQueryHandler(panel.on_view, pattern=VIEW.pattern),
        CallbackQueryHandler(panel.on_monthly, pattern=MONTHLY.pattern),
        CallbackQueryHandler(files.on_chart, pattern=CHART.pattern),
        CallbackQueryHandler(files.on_export, pattern=EXPORT.pattern),
        CallbackQueryHandler(publishing.on_publish, pattern=PUBLISH.pattern),
        CallbackQueryHandler(publishing.on_confirm, pattern=CONFIRM.pattern),
        CallbackQueryHandler(publishing.on_cancel, pattern=CANCEL.pattern),
        CallbackQueryHandler(member.on_seen, pattern=SEEN.pattern),
    ]
