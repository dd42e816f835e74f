"""/annuaire (/directory): the menu, search results, territories, the chart and a card."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.context import MaillageContext
from bot.domain.directory.chart import territory_chart
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    command_args,
    keyboard,
    markup_of,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.directory.buttons import FIND, SHOW, TERRITORY
from conversations.directory.views import card_text, menu_rows, page_rows

DIRECTORY_COMMANDS = ["annuaire", "directory"]
LIST = "-"
"""The TERRITORY key of the list of territories itself."""


@member_only()
async def directory_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/annuaire: the menu; /annuaire words: search at once."""
    typed = command_args(context)
    if typed:
        await show_results(update, context, t, typed, 0)
        return
    await say(update, t("directory.menu.title"), keyboard(menu_rows(t, member)))


async def show_results(
    update: Update, context: MaillageContext, t: Translator, typed: str, page_number: int
) -> None:
    """A page of search results (a new message, or the pressed one turned to it)."""
    terms, page = await context.services.directory.search(typed, page_number)
    if not terms:
        text, rows = t("directory.search.nothing_to_search"), []
    elif not page.total:
        text, rows = t("directory.search.none", query=" ".join(terms)), []
    else:
        query = " ".join(terms)
        text = t(
            "directory.search.results",
            count=page.total,
            query=query,
            page=page.number + 1,
            pages=page.pages,
        )
        rows = page_rows(t, page, lambda n: FIND.pack(page=n, q=query))
    if update.callback_query is not None:
        await replace_with(update, text, rows)
    else:
        await say(update, text, markup_of(rows))


@member_only()
async def on_find(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """◀️ / ▶️ on search results."""
    values = await unpack_press(update, t, FIND, lambda v: v["page"].isdigit())
    if values is not None:
        await show_results(update, context, t, values["q"], int(values["page"]))


async def show_territories(update: Update, context: MaillageContext, t: Translator) -> None:
    """Every territory with its number of cards, as buttons."""
    territories = await context.services.directory.territories()
    if not territories:
        await replace_with(update, t("directory.empty"))
        return
    rows = [
        [
            (
                t("directory.territory.button", name=x.label, cards=x.count),
                TERRITORY.pack(key=x.key, page=0),
            )
        ]
        for x in territories
    ]
    await replace_with(update, t("directory.territory.title", count=len(territories)), rows)


@member_only()
async def on_territory(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """A territory's page of cards (or back to the list)."""
    values = await unpack_press(update, t, TERRITORY, lambda v: v["page"].isdigit())
    if values is None:
        return
    if values["key"] == LIST:
        await show_territories(update, context, t)
        return
    found = await context.services.directory.territory(values["key"], int(values["page"]))
    if found is None or not found[1].cards:
        assert update.callback_query is not None
        await acknowledge(update.callback_query, t("buttons.expired"))
        return
    territory, page = found
    rows = page_rows(t, page, lambda n: TERRITORY.pack(key=territory.key, page=n))
    rows.append([(t("directory.territory.back"), TERRITORY.pack(key=LIST, page=0))])
    text = t(
        "directory.territory.cards",
        name=territory.label,
        count=territory.count,
        page=page.number + 1,
        pages=page.pages,
    )
    await replace_with(update, text, rows)


async def send_chart(update: Update, context: MaillageContext, t: Translator) -> None:
    """The overview: cards per territory as a PNG chart."""
    query = update.callback_query
    assert query is not None
    territories = await context.services.directory.territories()
    if not territories:
        await acknowledge(query, t("directory.empty"), alert=True)
        return
    await acknowledge(query)
    counts = [(x.label, x.count) for x in territories]
    png = await asyncio.to_thread(
        territory_chart,
        counts,
        str(t("directory.chart.title")),
        str(t("directory.chart.axis")),
        str(t("directory.chart.others")),
    )
    message = update.effective_message
    assert message is not None
    total = sum(count for _, count in counts)
    await message.chat.send_photo(
        InputFile(png, filename="annuaire.png"),
        caption=t("directory.chart.caption", count=total, territories=len(counts)),
    )


@member_only()
async def on_show(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A result pressed: the card in full, as a new message."""
    values = await unpack_press(update, t, SHOW, lambda v: v["id"].isdigit())
    if values is None:
        return
    query = update.callback_query
    assert query is not None
    card = await context.services.directory.get(int(values["id"]))
    if card is None:
        await acknowledge(query, t("directory.card.gone"), alert=True)
        return
    await acknowledge(query)
    await say(update, card_text(t, card))
