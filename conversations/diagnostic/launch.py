"""Launching a campaign from /diagnostic: questionnaire, wave, audience, anonymity, dates, plan.

Each answer is written to the animator's draft in the database at once, so the steps
survive a restart; button steps edit the message in place, typed dates are read in the
network's zone (``launch_dates``). "Lancer" creates the campaign and arms its jobs.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import MaillageContext
from bot.domain.diagnostic.model import DiagnosticError, ReminderPlan
from bot.domain.members import Member, Role
from bot.domain.segments import EVERYONE, Segment
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import (
    acknowledge,
    close_buttons,
    keyboard,
    member_only,
    replace_with,
    say,
)
from conversations.diagnostic.launch_dates import (
    CLOSES_STATE,
    OPENS_STATE,
    on_closes_text,
    on_now,
    on_opens_text,
)
from conversations.diagnostic.launch_draft import ACTION, State, pressed, refuse, save_answer
from conversations.diagnostic.launch_views import (
    ANONYMITY,
    AUDIENCE,
    BACK,
    DROP,
    LAUNCH,
    NOW,
    PICK,
    PLAN,
    SEGMENT,
    WAVE,
    anonymity_view,
    audience_view,
    launched_text,
    opening_view,
    questionnaires_view,
    segment_view,
    summary_view,
    waves_view,
)
from conversations.diagnostic.views import NEW
from conversations.segment_picker import FIELD_CHOICES, chosen
from schedules.diagnostic.jobs import arm


@member_only(Role.ANIMATOR, ACTION)
async def on_new(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Step 1: which questionnaire."""
    questionnaires = context.services.diagnostics.library.questionnaires.values()
    if not questionnaires:
        return await refuse(update, t, DiagnosticError("unknown_questionnaire"))
    text, rows = questionnaires_view(t, questionnaires)
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await say(update, text, keyboard(rows))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_pick(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Step 2: a new wave of an earlier campaign? (asked only if there is one)."""
    _, data = pressed(update, PICK)
    campaigns = context.services.diagnostics.campaigns
    try:
        if data is None:
            raise DiagnosticError("unknown_questionnaire")
        draft = await campaigns.start_draft(member.user_id, data["q"])
    except DiagnosticError as error:
        return await refuse(update, t, error)
    earlier = await campaigns.earlier_waves(draft.questionnaire_id)
    if not earlier:
        await replace_with(update, *await audience_view(context, t))
        return ConversationHandler.END
    await replace_with(update, *waves_view(t, earlier))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_wave(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """The wave is chosen: step 3, the audience."""
    _, data = pressed(update, WAVE)
    answer = {"previous_id": int(data["c"]) or None} if data and data["c"].isdigit() else None
    if await save_answer(update, context, member, t, answer) is not None:
        await replace_with(update, *await audience_view(context, t))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_audience(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Everyone (step 4 next), or which territory, organisation or role."""
    query, data = pressed(update, AUDIENCE)
    if data is None or data["f"] not in FIELD_CHOICES | {BACK}:
        return await refuse(update, t, DiagnosticError("no_draft"))
    if data["f"] == BACK:
        await replace_with(update, *await audience_view(context, t))
        return ConversationHandler.END
    if data["f"] == EVERYONE:
        return await _set_segment(update, context, member, t, Segment())
    view = await segment_view(context, t, data["f"])
    if view is None:
        await acknowledge(query, t("diagnostic.launch.no_segment"), alert=True)
        return ConversationHandler.END
    await replace_with(update, *view)
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_segment(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A territory, organisation or role was chosen."""
    query, data = pressed(update, SEGMENT)
    segment = await chosen(context.services.segments, data["f"], data["k"]) if data else None
    if segment is None:
        await acknowledge(query, t("buttons.expired"))
        return ConversationHandler.END
    return await _set_segment(update, context, member, t, segment)


async def _set_segment(
    update: Update, context: MaillageContext, member: Member, t: Translator, segment: Segment
) -> State:
    """Store the audience, then step 4: anonymous or named."""
    if await save_answer(update, context, member, t, {"segment": segment}) is not None:
        await replace_with(update, *anonymity_view(t))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_anonymity(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Step 5: the opening date, typed (or now)."""
    _, data = pressed(update, ANONYMITY)
    answer = {"anonymous": data["a"] == "1"} if data and data["a"] in ("0", "1") else None
    if await save_answer(update, context, member, t, answer) is None:
        return ConversationHandler.END
    await replace_with(update, *opening_view(t, str(context.services.settings.timezone)))
    return OPENS_STATE


@member_only(Role.ANIMATOR, ACTION)
async def on_plan(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """The reminder plan, then the summary to check before launching."""
    _, data = pressed(update, PLAN)
    plans = {plan.value for plan in ReminderPlan}
    answer = {"reminder_plan": ReminderPlan(data["p"])} if data and data["p"] in plans else None
    draft = await save_answer(update, context, member, t, answer)
    if draft is None:
        return ConversationHandler.END
    try:
        view = await summary_view(context, t, draft)
    except DiagnosticError as error:
        return await refuse(update, t, error)
    await replace_with(update, *view)
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_launch(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Create the campaign and arm its jobs; one opening now sends its invitations now."""
    try:
        campaign = await context.services.diagnostics.campaigns.launch_draft(member.user_id)
    except DiagnosticError as error:
        return await refuse(update, t, error)
    await arm(context.application, campaign)
    await close_buttons(update, launched_text(t, campaign, context.services.clock.now()))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_drop(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Abandon the campaign being prepared."""
    await context.services.diagnostics.campaigns.drop_draft(member.user_id)
    await close_buttons(update, t("diagnostic.launch.dropped"))
    return ConversationHandler.END


def _buttons() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(on_new, pattern=NEW.pattern),
        CallbackQueryHandler(on_pick, pattern=PICK.pattern),
        CallbackQueryHandler(on_wave, pattern=WAVE.pattern),
        CallbackQueryHandler(on_audience, pattern=AUDIENCE.pattern),
        CallbackQueryHandler(on_segment, pattern=SEGMENT.pattern),
        CallbackQueryHandler(on_anonymity, pattern=ANONYMITY.pattern),
        CallbackQueryHandler(on_now, pattern=NOW.pattern),
        CallbackQueryHandler(on_plan, pattern=PLAN.pattern),
        CallbackQueryHandler(on_launch, pattern=LAUNCH.pattern),
        CallbackQueryHandler(on_drop, pattern=DROP.pattern),
    ]


def build() -> list[BaseHandler]:
    """The campaign launch conversation (typed dates), persisted across restarts."""
    return [
        ConversationHandler(
            entry_points=_buttons(),
            states={
                OPENS_STATE: [MessageHandler(~filters.COMMAND, on_opens_text), *_buttons()],
                CLOSES_STATE: [MessageHandler(~filters.COMMAND, on_closes_text), *_buttons()],
            },
            fallbacks=cancel_handlers(),
            name="diagnostic_launch",
            persistent=True,
            allow_reentry=True,
        )
    ]
