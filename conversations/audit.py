"""/journal (/audit): the animators export the audit log as a spreadsheet, over a period.

Without dates the command offers four periods as buttons; with dates
(``/journal 2026-11-01 2026-11-30``) it sends the file at once. Both re-check the role.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.audit import JournalLabels, JournalRangeError, Period, Span
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import acknowledge, command_args, keyboard, member_only, say

COMMANDS = ["journal", "audit"]
PERIOD = CallbackSpec("journal", "period")


def labels(t: Translator) -> JournalLabels:
    """Column titles in the reader's language."""
    return JournalLabels(
        **{name: str(t(f"audit.column.{name}")) for name in JournalLabels.__dataclass_fields__}
    )


async def send_journal(
    update: Update, context: MaillageContext, t: Translator, span: Span, period: str
) -> None:
    """The spreadsheet of the span as a document."""
    count, data = await context.services.journal.export(span, labels(t))
    message = update.effective_message
    assert message is not None
    zone = str(context.services.settings.timezone)
    await message.chat.send_document(
        InputFile(data, filename=f"{t('audit.filename')}.csv"),
        caption=t("audit.caption", count=count, period=period, zone=zone),
    )


@member_only(Role.ANIMATOR, "journal")
async def journal_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/journal: the period buttons, or the file at once for typed dates."""
    typed = command_args(context)
    if typed:
        try:
            span = context.services.journal.typed_span(typed)
        except JournalRangeError as error:
            await say(update, t(f"audit.{error.code}"))
            return
        assert span.first_day is not None and span.last_day is not None
        period = t(
            "audit.period.range", first=span.first_day.isoformat(), last=span.last_day.isoformat()
        )
        await send_journal(update, context, t, span, str(period))
        return
    rows = [[(t(f"audit.button.{p}"), PERIOD.pack(period=p.value))] for p in Period]
    await say(update, t("audit.choose"), keyboard(rows))


@member_only(Role.ANIMATOR, "journal_export")
async def on_period(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """A period was chosen: send the file."""
    query = update.callback_query
    assert query is not None
    values = PERIOD.unpack(query.data)
    if values is None or values["period"] not in {p.value for p in Period}:
        await acknowledge(query, t("buttons.expired"))
        return
    await acknowledge(query)
    period = Period(values["period"])
    span = context.services.journal.span(period)
    await send_journal(update, context, t, span, str(t(f"audit.period.{period}")))


def build() -> list[BaseHandler]:
    """The audit journal's command and buttons."""
    return [
        CommandHandler(COMMANDS, journal_command),
        CallbackQueryHandler(on_period, pattern=PERIOD.pattern),
    ]
