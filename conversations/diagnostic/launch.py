"""Launching a campaign from /diagnostic: questionnaire, wave, audience, anonymity, dates, plan.

Each answer is written to the animator's draft in the database at once, so the steps
survive a restart; button steps edit the message in place, typed dates are read in the
network's zone. "Lancer" creates the campaign and arms its jobs.
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

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError, parse_datetime_input
from bot.domain.diagnostic.model import CampaignDraft, DiagnosticError, ReminderPlan
from bot.domain.members import Member, Role
from bot.domain.segments import EVERYONE, Segment
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import (
    acknowledge,
    close_buttons,
    keyboard,
    member_only,
    notify,
    replace_with,
    say,
)
from conversations.dates import datetime_error_text
from conversations.diagnostic.answer import typed_text
from conversations.diagnostic.render import short_date
from conversations.diagnostic.views import NEW, anonymity_text, audience_text, error_text
from conversations.segment_picker import FIELD_CHOICES, chosen, field_rows, value_rows
from schedules.diagnostic.jobs import arm
from schedules.diagnostic.messages import View

PICK = CallbackSpec("dq_q", "q")
WAVE = CallbackSpec("dq_wave", "c")
AUDIENCE = CallbackSpec("dq_aud", "f")
SEGMENT = CallbackSpec("dq_seg", "f", "k")
ANONYMITY = CallbackSpec("dq_anon", "a")
NOW = CallbackSpec("dq_now")
PLAN = CallbackSpec("dq_plan", "p")
LAUNCH = CallbackSpec("dq_launch")
DROP = CallbackSpec("dq_drop")
OPENS_STATE = "dq_opens"
CLOSES_STATE = "dq_closes"
BACK = "back"
NOW_WORDS = frozenset({"maintenant", "now", "tout de suite", "immédiatement"})
State = str | int
ACTION = "diagnostic_launch"


async def _refuse(update: Update, t: Translator, error: DiagnosticError) -> State:
    await notify(update, error_text(t, error))
    return ConversationHandler.END


def _audience_label(choice: str) -> str:
    """The catalog key of an audience button (the launch words them its own way)."""
    name = "everyone" if choice == EVERYONE else choice
    return f"diagnostic.launch.{name}_button"


async def _audience_view(context: MaillageContext, t: Translator) -> View:
    segments = context.services.segments
    rows = await field_rows(t, segments, lambda f: AUDIENCE.pack(f=f), _audience_label)
    return t("diagnostic.launch.audience"), rows


def _anonymity_view(t: Translator) -> View:
    return t("diagnostic.launch.anonymity"), [
        [
            (t("diagnostic.launch.anonymous_button"), ANONYMITY.pack(a="1")),
            (t("diagnostic.launch.named_button"), ANONYMITY.pack(a="0")),
        ]
    ]


def _plan_view(t: Translator) -> View:
    return t("diagnostic.launch.plan"), [
        [(t(f"diagnostic.plan.{plan.value}"), PLAN.pack(p=plan.value))] for plan in ReminderPlan
    ]


async def _summary_view(context: MaillageContext, t: Translator, draft: CampaignDraft) -> View:
    services = context.services
    questionnaire = services.diagnostics.library.get(draft.questionnaire_id)
    if questionnaire is None or draft.segment is None or draft.closes_at is None:
        raise DiagnosticError("draft_incomplete")
    previous = (
        await services.diagnostics.campaigns.find(draft.previous_id) if draft.previous_id else None
    )
    wave = t("diagnostic.admin.wave", wave=previous.wave + 1) if previous else ""
    members = await services.segments.member_ids(draft.segment)
    now = services.clock.now()
    opens = draft.opens_at if draft.opens_at and draft.opens_at > now else None
    text = t(
        "diagnostic.launch.summary",
        title=questionnaire.title(t.language),
        wave=wave,
        audience=audience_text(t, draft.segment, 0),
        members=t("diagnostic.launch.members", count=len(members)),
        anonymity=anonymity_text(t, bool(draft.anonymous)),
        opens=t.datetime(opens) if opens else t("diagnostic.launch.now"),
        closes=t.datetime(draft.closes_at),
        plan=t(f"diagnostic.plan.{(draft.reminder_plan or ReminderPlan.NONE).value}"),
    )
    return text, [
        [
            (t("diagnostic.launch.launch_button"), LAUNCH.pack()),
            (t("diagnostic.launch.drop_button"), DROP.pack()),
        ]
    ]


@member_only(Role.ANIMATOR, ACTION)
async def on_new(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Step 1: which questionnaire."""
    questionnaires = context.services.diagnostics.library.questionnaires.values()
    if not questionnaires:
        return await _refuse(update, t, DiagnosticError("unknown_questionnaire"))
    rows = [
        [
            (
                t(
                    "diagnostic.launch.questionnaire_button",
                    title=q.title(t.language),
                    count=len(q.questions),
                ),
                PICK.pack(q=q.id),
            )
        ]
        for q in questionnaires
    ]
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await say(update, t("diagnostic.launch.choose"), keyboard(rows))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_pick(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Step 2: a new wave of an earlier campaign? (asked only if there is one)."""
    query = update.callback_query
    assert query is not None
    data = PICK.unpack(query.data)
    campaigns = context.services.diagnostics.campaigns
    try:
        if data is None:
            raise DiagnosticError("unknown_questionnaire")
        draft = await campaigns.start_draft(member.user_id, data["q"])
    except DiagnosticError as error:
        return await _refuse(update, t, error)
    earlier = await campaigns.earlier_waves(draft.questionnaire_id)
    if not earlier:
        await replace_with(update, *await _audience_view(context, t))
        return ConversationHandler.END
    rows = [[(t("diagnostic.launch.first_wave"), WAVE.pack(c=0))]]
    rows += [
        [
            (
                t("diagnostic.launch.wave_button", id=c.id, date=short_date(t, c)),
                WAVE.pack(c=c.id),
            )
        ]
        for c in earlier
    ]
    await replace_with(update, t("diagnostic.launch.wave"), rows)
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_wave(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """The wave is chosen: step 3, the audience."""
    query = update.callback_query
    assert query is not None
    data = WAVE.unpack(query.data)
    try:
        if data is None or not data["c"].isdigit():
            raise DiagnosticError("no_draft")
        previous = int(data["c"]) or None
        await context.services.diagnostics.campaigns.update_draft(
            member.user_id, previous_id=previous
        )
    except DiagnosticError as error:
        return await _refuse(update, t, error)
    await replace_with(update, *await _audience_view(context, t))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_audience(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Everyone (step 4 next), or which territory, organisation or role."""
    query = update.callback_query
    assert query is not None
    data = AUDIENCE.unpack(query.data)
    if data is None or data["f"] not in FIELD_CHOICES | {BACK}:
        return await _refuse(update, t, DiagnosticError("no_draft"))
    if data["f"] == BACK:
        await replace_with(update, *await _audience_view(context, t))
        return ConversationHandler.END
    if data["f"] == EVERYONE:
        return await _set_segment(update, context, member, t, Segment())
    segments = context.services.segments
    rows = await value_rows(t, segments, data["f"], lambda f, k: SEGMENT.pack(f=f, k=k))
    if not rows:
        await acknowledge(query, t("diagnostic.launch.no_segment"), alert=True)
        return ConversationHandler.END
    back = [(t("diagnostic.launch.back_button"), AUDIENCE.pack(f=BACK))]
    await replace_with(update, t("diagnostic.launch.segment"), [*rows, back])
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_segment(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A territory, organisation or role was chosen."""
    query = update.callback_query
    assert query is not None
    data = SEGMENT.unpack(query.data)
    segment = await chosen(context.services.segments, data["f"], data["k"]) if data else None
    if segment is None:
        await acknowledge(query, t("buttons.expired"))
        return ConversationHandler.END
    return await _set_segment(update, context, member, t, segment)


async def _set_segment(
    update: Update, context: MaillageContext, member: Member, t: Translator, segment: Segment
) -> State:
    """Store the audience, then step 4: anonymous or named."""
    try:
        await context.services.diagnostics.campaigns.update_draft(member.user_id, segment=segment)
    except DiagnosticError as error:
        return await _refuse(update, t, error)
    await replace_with(update, *_anonymity_view(t))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_anonymity(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Step 5: the opening date, typed (or now)."""
    query = update.callback_query
    assert query is not None
    data = ANONYMITY.unpack(query.data)
    try:
        if data is None or data["a"] not in ("0", "1"):
            raise DiagnosticError("no_draft")
        await context.services.diagnostics.campaigns.update_draft(
            member.user_id, anonymous=data["a"] == "1"
        )
    except DiagnosticError as error:
        return await _refuse(update, t, error)
    zone = str(context.services.settings.timezone)
    rows = [[(t("diagnostic.launch.now_button"), NOW.pack())]]
    await replace_with(update, t("diagnostic.launch.opens", zone=zone), rows)
    return OPENS_STATE


async def _set_opening(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> State:
    """Store the opening time (None: now), then step 6: the closing date."""
    services = context.services
    now = services.clock.now()
    try:
        opens = parse_datetime_input(text, services.settings.timezone, now) if text else now
        await services.diagnostics.campaigns.update_draft(member.user_id, opens_at=opens)
    except DateTimeInputError as error:
        await say(update, datetime_error_text(t, error))
        return OPENS_STATE
    except DiagnosticError as error:
        await say(update, error_text(t, error))
        return OPENS_STATE if error.code == "closes_before_opens" else ConversationHandler.END
    note = (
        t("diagnostic.launch.opens_at", date=t.datetime(opens))
        if text
        else t("diagnostic.launch.opens_now")
    )
    await say(update, f"{note}\n{t('diagnostic.launch.closes')}")
    return CLOSES_STATE


@member_only(Role.ANIMATOR, ACTION)
async def on_now(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Opening: as soon as the campaign is launched."""
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    return await _set_opening(update, context, member, t, None)


@member_only(Role.ANIMATOR, ACTION)
async def on_opens_text(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """The typed opening date."""
    text = await typed_text(update, t)
    if text is None:
        return OPENS_STATE
    now = text.strip().lower() in NOW_WORDS
    return await _set_opening(update, context, member, t, None if now else text)


@member_only(Role.ANIMATOR, ACTION)
async def on_closes_text(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """The typed closing date, then step 7: the reminder plan."""
    text = await typed_text(update, t)
    if text is None:
        return CLOSES_STATE
    services = context.services
    try:
        closes = parse_datetime_input(text, services.settings.timezone, services.clock.now())
        await services.diagnostics.campaigns.update_draft(member.user_id, closes_at=closes)
    except DateTimeInputError as error:
        await say(update, datetime_error_text(t, error))
        return CLOSES_STATE
    except DiagnosticError as error:
        if error.code != "closes_before_opens":
            return await _refuse(update, t, error)
        draft = await services.diagnostics.campaigns.draft(member.user_id)
        opens = t.datetime(draft.opens_at) if draft.opens_at else ""
        await say(update, t("diagnostic.launch.closes_before_opens", opens=opens))
        return CLOSES_STATE
    text, rows = _plan_view(t)
    await say(update, text, keyboard(rows))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, ACTION)
async def on_plan(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """The reminder plan, then the summary to check before launching."""
    query = update.callback_query
    assert query is not None
    data = PLAN.unpack(query.data)
    try:
        if data is None or data["p"] not in {plan.value for plan in ReminderPlan}:
            raise DiagnosticError("no_draft")
        draft = await context.services.diagnostics.campaigns.update_draft(
            member.user_id, reminder_plan=ReminderPlan(data["p"])
        )
        view = await _summary_view(context, t, draft)
    except DiagnosticError as error:
        return await _refuse(update, t, error)
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
        return await _refuse(update, t, error)
    await arm(context.application, campaign)
    if campaign.opens_at <= context.services.clock.now():
        text = t("diagnostic.launch.launched_now", id=campaign.id)
    else:
        text = t(
            "diagnostic.launch.launched_later", id=campaign.id, opens=t.datetime(campaign.opens_at)
        )
    await close_buttons(update, text)
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
