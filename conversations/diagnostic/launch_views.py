"""What each launch step shows: its buttons' payloads, and its text and keyboard."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.diagnostic.model import Campaign, CampaignDraft, DiagnosticError, ReminderPlan
from bot.domain.diagnostic.questionnaire import Questionnaire
from bot.domain.segments import EVERYONE
from bot.i18n import Translator
from conversations.diagnostic.render import short_date
from conversations.diagnostic.views import anonymity_text, audience_text
from conversations.segment_picker import field_rows, value_rows
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
BACK = "back"


def questionnaires_view(t: Translator, questionnaires: Iterable[Questionnaire]) -> View:
    """Step 1: one button per questionnaire, with its number of questions."""
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
    return t("diagnostic.launch.choose"), rows


def waves_view(t: Translator, earlier: Iterable[Campaign]) -> View:
    """Step 2: a first wave, or a new wave of one of the earlier campaigns."""
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
    return t("diagnostic.launch.wave"), rows


def _audience_label(choice: str) -> str:
    """The catalog key of an audience button (the launch words them its own way)."""
    name = "everyone" if choice == EVERYONE else choice
    return f"diagnostic.launch.{name}_button"


async def audience_view(context: MaillageContext, t: Translator) -> View:
    """Step 3: everyone, or a territory, an organisation or a role."""
    segments = context.services.segments
    rows = await field_rows(t, segments, lambda f: AUDIENCE.pack(f=f), _audience_label)
    return t("diagnostic.launch.audience"), rows


async def segment_view(context: MaillageContext, t: Translator, field: str) -> View | None:
    """The territories, organisations or roles to choose from (None: there are none)."""
    segments = context.services.segments
    rows = await value_rows(t, segments, field, lambda f, k: SEGMENT.pack(f=f, k=k))
    if not rows:
        return None
    back = [(t("diagnostic.launch.back_button"), AUDIENCE.pack(f=BACK))]
    return t("diagnostic.launch.segment"), [*rows, back]


def anonymity_view(t: Translator) -> View:
    """Step 4: anonymous or named answers."""
    return t("diagnostic.launch.anonymity"), [
        [
            (t("diagnostic.launch.anonymous_button"), ANONYMITY.pack(a="1")),
            (t("diagnostic.launch.named_button"), ANONYMITY.pack(a="0")),
        ]
    ]


def opening_view(t: Translator, zone: str) -> View:
    """Step 5: type the opening date in the network's zone, or open now."""
    return t("diagnostic.launch.opens", zone=zone), [
        [(t("diagnostic.launch.now_button"), NOW.pack())]
    ]


def plan_view(t: Translator) -> View:
    """Step 7: the reminder plan."""
    return t("diagnostic.launch.plan"), [
        [(t(f"diagnostic.plan.{plan.value}"), PLAN.pack(p=plan.value))] for plan in ReminderPlan
    ]


async def summary_view(context: MaillageContext, t: Translator, draft: CampaignDraft) -> View:
    """The whole campaign to check, with "Lancer" and "Abandonner"."""
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


def launched_text(t: Translator, campaign: Campaign, now: datetime) -> str:
    """The campaign is launched: open now, or from its opening date."""
    if campaign.opens_at <= now:
        return t("diagnostic.launch.launched_now", id=campaign.id)
    return t(
        "diagnostic.launch.launched_later", id=campaign.id, opens=t.datetime(campaign.opens_at)
    )
