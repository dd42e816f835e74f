"""/diagnostic: a member's questionnaires and published results; the animators' campaigns.

Animators open a campaign's card to follow participation live, remind only those who have
not finished, see who they are (named campaigns only), read the results, get the chart
and the spreadsheet exports, and publish the results to the members who took part.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.diagnostic.model import Campaign, DiagnosticError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    close_buttons,
    markup_of,
    member_only,
    notify,
    replace_with,
    say,
)
from conversations.diagnostic.results_view import chart, export_files, results_messages
from conversations.diagnostic.views import (
    ACT,
    CARD,
    Action,
    admin_view,
    card_view,
    error_text,
    home_view,
)
from schedules.diagnostic.jobs import publish, remind
from schedules.diagnostic.messages import PUBLISHED, View

COMMANDS = ["diagnostic"]


async def _campaign(
    update: Update, context: MaillageContext, t: Translator, data: dict[str, str] | None
) -> Campaign | None:
    """The campaign a button names, or None after saying the button expired."""
    campaign = None
    if data is not None and data["c"].isdigit():
        campaign = await context.services.diagnostics.campaigns.find(int(data["c"]))
    if campaign is None:
        assert update.callback_query is not None
        await acknowledge(update.callback_query, t("buttons.expired"))
    return campaign


@member_only(action="diagnostic")
async def diagnostic_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/diagnostic: questionnaires to answer and published results; campaigns for animators."""
    diagnostics = context.services.diagnostics
    open_campaigns = [
        (campaign, await diagnostics.answering.response(campaign.id, member.user_id))
        for campaign in await diagnostics.campaigns.open_for(member.user_id)
    ]
    published = await diagnostics.campaigns.published_for(member.user_id)
    text, rows = home_view(t, open_campaigns, published)
    if member.has_role(Role.ANIMATOR):
        campaigns = [
            (campaign, await diagnostics.campaigns.participation(campaign.id))
            for campaign in await diagnostics.campaigns.recent()
        ]
        admin_text, admin_rows = admin_view(t, diagnostics.library.problems, campaigns)
        mine = open_campaigns or published
        text = f"{text}\n\n{admin_text}" if mine else admin_text
        rows = [*rows, *admin_rows] if mine else admin_rows
    await say(update, text, markup_of(rows))


async def _card(context: MaillageContext, t: Translator, campaign: Campaign) -> View:
    campaigns = context.services.diagnostics.campaigns
    participation = await campaigns.participation(campaign.id)
    return card_view(t, campaign, participation, await campaigns.reminders(campaign.id))


@member_only(Role.ANIMATOR, "diagnostic_card")
async def on_card(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A campaign's card, as a new message."""
    query = update.callback_query
    assert query is not None
    campaign = await _campaign(update, context, t, CARD.unpack(query.data))
    if campaign is None:
        return
    await acknowledge(query)
    text, rows = await _card(context, t, campaign)
    await say(update, text, markup_of(rows))


async def _results(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign, *, private: bool
) -> None:
    diagnostics = context.services.diagnostics
    results = await diagnostics.results(campaign)
    comparison = await diagnostics.comparison(campaign, results)
    participation = await diagnostics.campaigns.participation(campaign.id)
    for text in results_messages(t, campaign, results, participation, comparison, private=private):
        await say(update, text)
    if private and comparison is not None:  # phase 3: the waves next to the projects between
        carried = await context.services.projects.impact.carried_between(
            comparison.previous, campaign
        )
        await say(update, t("projects.report.carried", count=len(carried)))


async def _chart(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    diagnostics = context.services.diagnostics
    results = await diagnostics.results(campaign)
    comparison = await diagnostics.comparison(campaign, results)
    png = await asyncio.to_thread(chart, t, campaign, results, comparison)
    if png is None:
        await say(update, t("diagnostic.results.no_chart"))
        return
    chat = update.effective_chat
    assert chat is not None
    title = campaign.questionnaire.title(t.language)
    await chat.send_photo(
        InputFile(png, filename=f"{campaign.questionnaire.id}_{campaign.id}.png"),
        caption=t("diagnostic.results.chart_caption", title=title),
    )


async def _export(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    diagnostics = context.services.diagnostics
    results = await diagnostics.results(campaign)
    if campaign.anonymous and not results.visible:
        await say(
            update,
            t(
                "diagnostic.results.export_hidden",
                threshold=results.threshold,
                missing=results.missing,
            ),
        )
        return
    rows = await diagnostics.export_rows(campaign)
    title = campaign.questionnaire.title(t.language)
    (responses_name, responses), (summary_name, summary) = export_files(t, campaign, rows, results)
    chat = update.effective_chat
    assert chat is not None
    anonymity = t("diagnostic.results.export_anonymous") if campaign.anonymous else ""
    await chat.send_document(
        InputFile(responses, filename=responses_name),
        caption=t("diagnostic.results.export_caption", title=title, anonymity=anonymity),
    )
    await chat.send_document(
        InputFile(summary, filename=summary_name),
        caption=t("diagnostic.results.summary_caption", title=title),
    )


async def _who(update: Update, context: MaillageContext, t: Translator, campaign: Campaign) -> None:
    names = await context.services.diagnostics.campaigns.not_finished_names(campaign.id)
    title = campaign.questionnaire.title(t.language)
    lines = [t("diagnostic.card.not_finished_title", title=title, number=len(names))]
    lines += [t("diagnostic.card.name_line", name=name) for name in names]
    await say(update, "\n".join(lines) if names else t("diagnostic.card.everyone_finished"))


async def _ask_reminder(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    mailing = await context.services.diagnostics.campaigns.not_finished(campaign.id)
    if not mailing.members:
        await say(update, t("diagnostic.card.nobody_to_remind"))
        return
    buttons = [
        (t("diagnostic.card.remind_yes"), ACT.pack(c=campaign.id, a=Action.REMIND_CONFIRMED)),
        (t("diagnostic.card.remind_no"), ACT.pack(c=campaign.id, a=Action.REMIND_CANCELLED)),
    ]
    title = campaign.questionnaire.title(t.language)
    text = t("diagnostic.card.remind_confirm", count=len(mailing.members), title=title)
    await say(update, text, markup_of([buttons]))


async def _send_reminder(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    mailing = await context.services.diagnostics.campaigns.not_finished(campaign.id)
    if not mailing.members:
        await close_buttons(update, t("diagnostic.card.nobody_to_remind"))
        return
    _, audience = await remind(context, mailing)
    skipped = sum(audience.skipped.values())
    note = t("diagnostic.card.skipped", count=skipped) if skipped else ""
    await close_buttons(
        update, t("diagnostic.card.reminded", count=audience.eligible, skipped=note)
    )


async def _refresh(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    await replace_with(update, *await _card(context, t, campaign))


async def _cancel_reminder(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    await close_buttons(update, t("diagnostic.card.remind_cancelled"))


async def _publish(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    count = await publish(context, campaign.id)
    await close_buttons(update, t("diagnostic.card.published_done", count=count))


async def _private_results(
    update: Update, context: MaillageContext, t: Translator, campaign: Campaign
) -> None:
    await _results(update, context, t, campaign, private=True)


# Actions that show something new (the press is answered first, refusals come as messages),
# and actions that answer the press themselves (refusals come as a toast).
_SHOWING = {
    Action.REMIND: _ask_reminder,
    Action.WHO: _who,
    Action.RESULTS: _private_results,
    Action.CHART: _chart,
    Action.EXPORT: _export,
}
_ANSWERING = {
    Action.REFRESH: _refresh,
    Action.REMIND_CONFIRMED: _send_reminder,
    Action.REMIND_CANCELLED: _cancel_reminder,
    Action.PUBLISH: _publish,
}


@member_only(Role.ANIMATOR, "diagnostic_action")
async def on_action(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """A campaign card's button."""
    query = update.callback_query
    assert query is not None
    data = ACT.unpack(query.data)
    if data is not None and data["a"] not in set(Action):
        data = None
    campaign = await _campaign(update, context, t, data)
    if campaign is None or data is None:
        return
    action = Action(data["a"])
    showing = action in _SHOWING
    if showing:
        await acknowledge(query)
    try:
        await (_SHOWING if showing else _ANSWERING)[action](update, context, t, campaign)
    except DiagnosticError as error:
        text = error_text(t, error)
        await (say(update, text) if showing else notify(update, text))


@member_only(action="diagnostic_published")
async def on_published(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """A member opens the published results of a campaign they took part in."""
    query = update.callback_query
    assert query is not None
    campaign = await _campaign(update, context, t, PUBLISHED.unpack(query.data))
    if campaign is None:
        return
    if campaign.published_at is None:
        await acknowledge(query, t("diagnostic.results.not_published"), alert=True)
        return
    mine = await context.services.diagnostics.campaigns.published_for(member.user_id)
    if campaign.id not in {c.id for c in mine}:
        await acknowledge(query, t("diagnostic.results.not_participant"), alert=True)
        return
    await acknowledge(query)
    await _results(update, context, t, campaign, private=False)


def build() -> list[BaseHandler]:
    """/diagnostic, campaign cards and their actions, published results."""
    return [
        CommandHandler(COMMANDS, diagnostic_command),
        CallbackQueryHandler(on_card, pattern=CARD.pattern),
        CallbackQueryHandler(on_action, pattern=ACT.pattern),
        CallbackQueryHandler(on_published, pattern=PUBLISHED.pattern),
    ]
