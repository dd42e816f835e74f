"""Animators: import a spreadsheet (checked, then confirmed) and export the directory.

Every step re-checks the role (``member_only`` with the animator role audits each
decision, refusals included), so a forged button from a member is refused and journaled.
"""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from bot.context import MaillageContext
from bot.domain.directory import (
    FIELD_LIMITS,
    MAX_ROWS,
    ImportPlan,
    Outcome,
    RowReport,
    SpreadsheetError,
)
from bot.domain.directory.export import card_table, cards_csv, report_csv, xlsx_bytes
from bot.domain.directory.spreadsheet import MAX_FILE_BYTES
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import (
    Button,
    acknowledge,
    keyboard,
    member_only,
    replace_with,
    say,
    translator_for,
    unpack_press,
)
from conversations.directory.buttons import EXPORT, EXPORT_FORMATS, IMPORT

END = ConversationHandler.END
IMPORT_STATE = "dir_import"
SHOWN_REJECTIONS = 10
OUTCOMES = (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.REJECTED)


@member_only(Role.ANIMATOR, "directory_import")
async def start_import(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str:
    """📥: ask for the spreadsheet."""
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await say(
        update,
        t("directory.import.ask", megabytes=MAX_FILE_BYTES // (1024 * 1024), rows=MAX_ROWS),
    )
    return IMPORT_STATE


def reason_text(t: Translator, report: RowReport) -> str:
    """Why a row was rejected, in the reader's language."""
    column = str(t(f"directory.field.{report.detail}")) if report.detail in FIELD_LIMITS else ""
    return str(
        t(
            f"directory.reject.{report.reason}",
            column=column,
            line=report.detail,
            limit=FIELD_LIMITS.get(report.detail, 0),
        )
    )


def plan_summary(t: Translator, file_name: str, plan: ImportPlan) -> str:
    """The dry run in a message: counts, then the first rejections with their reason."""
    lines = [t("directory.import.checked", file=file_name, rows=len(plan.reports))]
    lines += [t(f"directory.import.count.{o}", count=plan.count(o)) for o in OUTCOMES]
    rejected = plan.rejected()
    for report in rejected[:SHOWN_REJECTIONS]:
        lines.append(
            t("directory.import.rejection", line=report.line, reason=reason_text(t, report))
        )
    if len(rejected) > SHOWN_REJECTIONS:
        lines.append(t("directory.import.more", count=len(rejected) - SHOWN_REJECTIONS))
    lines.append(t("directory.import.confirm" if plan.cards else "directory.import.nothing"))
    return "\n".join(lines)


@member_only(Role.ANIMATOR, "directory_import_file")
async def on_document(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """The spreadsheet: checked (dry run), summarised, and confirmation offered."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    name = document.file_name or "import"
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await say(update, t("directory.sheet.too_big", detail=MAX_FILE_BYTES // (1024 * 1024)))
        return IMPORT_STATE
    data = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        token, plan = await context.services.directory.check_import(member.user_id, name, data)
    except SpreadsheetError as error:
        await say(update, t(f"directory.sheet.{error.code}", detail=error.detail))
        return IMPORT_STATE
    rows: list[list[Button]] = [
        [(t("directory.import.cancel"), IMPORT.pack(action="no", token=token))]
    ]
    if plan.cards:
        yes = (
            t("directory.import.yes", count=len(plan.cards)),
            IMPORT.pack(action="yes", token=token),
        )
        rows.insert(0, [yes])
    await say(update, plan_summary(t, name, plan), keyboard(rows))
    if len(plan.reports) > SHOWN_REJECTIONS:
        await _send_report(update, t, plan)
    return END


async def _send_report(update: Update, t: Translator, plan: ImportPlan) -> None:
    """The dry run row by row, as a spreadsheet."""
    titles = [
        str(t(f"directory.report.{name}"))
        for name in ("line", "outcome", "structure", "territory", "reason")
    ]
    data = report_csv(
        plan,
        titles,
        lambda outcome: str(t(f"directory.outcome.{outcome}")),
        lambda report: reason_text(t, report),
    )
    message = update.effective_message
    assert message is not None
    await message.chat.send_document(
        InputFile(data, filename=f"{t('directory.report.filename')}.csv"),
        caption=t("directory.report.caption", count=len(plan.reports)),
    )


async def document_expected(update: Update, context: MaillageContext) -> str:
    """Text, a sticker or a photo where the spreadsheet is expected."""
    t = await translator_for(update, context)
    await say(update, t("directory.import.document_expected"))
    return IMPORT_STATE


@member_only(Role.ANIMATOR, "directory_import_confirm")
async def on_import_press(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """✅ writes the checked import (all or nothing); Annuler forgets it."""
    values = await unpack_press(update, t, IMPORT, lambda v: v["action"] in ("yes", "no"))
    if values is None:
        return
    directory = context.services.directory
    if values["action"] == "no":
        await directory.cancel_import(member.user_id)
        await replace_with(update, t("directory.import.cancelled"))
        return
    written = await directory.confirm_import(member.user_id, values["token"])
    if written is None:
        assert update.callback_query is not None
        await acknowledge(update.callback_query, t("buttons.expired"))
        return
    await replace_with(update, t("directory.import.done", count=written))


@member_only(Role.ANIMATOR, "directory_export")
async def start_export(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """📤: choose CSV or .xlsx."""
    rows = [[(t(f"directory.export.{f}"), EXPORT.pack(format=f)) for f in EXPORT_FORMATS]]
    await replace_with(update, t("directory.export.choose"), rows)


@member_only(Role.ANIMATOR, "directory_export_file")
async def on_export(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The directory as a file: only what was published (Telegram link only if allowed)."""
    values = await unpack_press(update, t, EXPORT, lambda v: v["format"] in EXPORT_FORMATS)
    if values is None:
        return
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    cards = await context.services.directory.all_cards()
    titles = {name: str(t(f"directory.field.{name}")) for name in (*FIELD_LIMITS, "telegram")}
    if values["format"] == "csv":
        data = cards_csv(cards, titles)
    else:
        data = xlsx_bytes(card_table(cards, titles), str(t("directory.export.sheet")))
    message = update.effective_message
    assert message is not None
    await message.chat.send_document(
        InputFile(data, filename=f"{t('directory.export.filename')}.{values['format']}"),
        caption=t("directory.export.caption", count=len(cards)),
    )
