"""How /diagnostic looks: a member's questionnaires, the animators' campaigns and their cards."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.callback_data import CallbackSpec
from bot.domain.diagnostic.model import (
    Campaign,
    CampaignStatus,
    DiagnosticError,
    Participation,
    Response,
)
from bot.domain.segments import Segment
from bot.i18n import Translator
from conversations.segment_picker import segment_value
from schedules.diagnostic.messages import GO, PUBLISHED, Button, View, percent

NEW = CallbackSpec("dq_new")
CARD = CallbackSpec("dq_card", "c")
ACT = CallbackSpec("dq_act", "c", "a")


class Action(StrEnum):
    """What a campaign card's buttons ask for."""

    REMIND = "remind"
    REMIND_CONFIRMED = "remind_ok"
    REMIND_CANCELLED = "remind_no"
    WHO = "who"
    RESULTS = "results"
    CHART = "chart"
    EXPORT = "export"
    PUBLISH = "publish"
    REFRESH = "refresh"


def error_text(t: Translator, error: DiagnosticError) -> str:
    """Why an animator's request was refused, in words."""
    return t(f"diagnostic.error.{error.code}", **error.details)


def wave_suffix(t: Translator, campaign: Campaign) -> str:
    """`` (vague 2)`` for a later wave, nothing for a first one."""
    return t("diagnostic.admin.wave", wave=campaign.wave) if campaign.wave > 1 else ""


def status_text(t: Translator, campaign: Campaign) -> str:
    """Scheduled, open until…, or closed since…."""
    return t(
        f"diagnostic.status.{campaign.status}",
        opens=t.datetime(campaign.opens_at),
        closes=t.datetime(campaign.closed_at or campaign.closes_at),
    )


def audience_text(t: Translator, segment: Segment | None, count: int) -> str:
    """Who a campaign is for, in words."""
    if segment is None:
        return t("diagnostic.audience.explicit", count=count)
    if segment.field is None:
        return t("diagnostic.audience.everyone")
    return t(f"diagnostic.audience.{segment.field}", value=segment_value(t, segment))


def anonymity_text(t: Translator, anonymous: bool) -> str:
    """Anonymous or named."""
    return t("diagnostic.audience.anonymous" if anonymous else "diagnostic.audience.named")


def home_view(
    t: Translator,
    open_campaigns: list[tuple[Campaign, Response | None]],
    published: list[Campaign],
) -> View:
    """A member's questionnaires to answer (start, resume, review) and published results."""
    if not open_campaigns and not published:
        return t("diagnostic.home.nothing"), []
    lines = [t("diagnostic.home.title")]
    rows: list[list[Button]] = []
    if open_campaigns:
        lines.append(t("diagnostic.home.to_answer"))
    for campaign, response in open_campaigns:
        title = campaign.questionnaire.title(t.language)
        closes = t.datetime(campaign.closes_at)
        lines.append(t("diagnostic.home.to_answer_line", title=title, closes=closes))
        if response is None:
            label = t("diagnostic.home.start_button", title=title)
        elif response.completed:
            label = t("diagnostic.home.done_button", title=title)
        else:
            label = t(
                "diagnostic.home.resume_button",
                title=title,
                number=response.position + 1,
                total=campaign.size,
            )
        rows.append([(label, GO.pack(c=campaign.id))])
    if published:
        lines.append(t("diagnostic.home.published"))
    for campaign in published:
        title = campaign.questionnaire.title(t.language)
        label = t("diagnostic.home.published_button", title=title, id=campaign.id)
        rows.append([(label, PUBLISHED.pack(c=campaign.id))])
    return "\n".join(lines), rows


def admin_view(
    t: Translator, problems: tuple[str, ...], campaigns: list[tuple[Campaign, Participation]]
) -> View:
    """The animators' part: files that did not load, campaigns with live participation."""
    lines = [t("diagnostic.admin.title")]
    lines += [t("diagnostic.admin.problem", problem=problem) for problem in problems]
    if not campaigns:
        lines.append(t("diagnostic.admin.no_campaign"))
    rows: list[list[Button]] = [[(t("diagnostic.admin.new_button"), NEW.pack())]]
    for campaign, participation in campaigns:
        title = campaign.questionnaire.title(t.language)
        lines.append(
            t(
                "diagnostic.admin.line",
                id=campaign.id,
                title=title,
                wave=wave_suffix(t, campaign),
                status=status_text(t, campaign),
                completed=participation.completed,
                invited=participation.invited,
                rate=percent(t, participation.rate),
            )
        )
        label = t("diagnostic.admin.campaign_button", id=campaign.id, title=title)
        rows.append([(label, CARD.pack(c=campaign.id))])
    return "\n".join(lines), rows


def _reminders_text(t: Translator, reminders: list[tuple[datetime, bool]]) -> str:
    if not reminders:
        return t("diagnostic.card.no_reminder")
    return " ; ".join(
        t(
            "diagnostic.card.reminder_line",
            date=t.datetime(at),
            done=t("diagnostic.card.reminder_done") if done else "",
        )
        for at, done in reminders
    )


def card_view(
    t: Translator,
    campaign: Campaign,
    participation: Participation,
    reminders: list[tuple[datetime, bool]],
) -> View:
    """A campaign's card: dates, audience, live participation, and what can be done now."""
    lines = [
        t(
            "diagnostic.card.text",
            title=campaign.questionnaire.title(t.language),
            id=campaign.id,
            wave=wave_suffix(t, campaign),
            status=status_text(t, campaign),
            opens=t.datetime(campaign.opens_at),
            closes=t.datetime(campaign.closes_at),
            audience=audience_text(t, campaign.segment, participation.invited),
            anonymity=anonymity_text(t, campaign.anonymous),
            reminders=_reminders_text(t, reminders),
            completed=participation.completed,
            invited=participation.invited,
            rate=percent(t, participation.rate),
            not_finished=participation.not_finished,
            in_progress=participation.in_progress,
        )
    ]
    if campaign.previous_id is not None:
        lines.append(t("diagnostic.card.compared", id=campaign.previous_id))
    if campaign.published_at is not None:
        lines.append(t("diagnostic.card.published", date=t.datetime(campaign.published_at)))

    def button(key: str, action: str, **params: object) -> Button:
        return t(f"diagnostic.card.{key}", **params), ACT.pack(c=campaign.id, a=action)

    rows: list[list[Button]] = []
    if campaign.status is CampaignStatus.OPEN and participation.not_finished:
        rows.append([button("remind_button", Action.REMIND, number=participation.not_finished)])
        if not campaign.anonymous:
            rows.append([button("who_button", Action.WHO)])
    rows.append(
        [
            button("results_button", Action.RESULTS),
            button("chart_button", Action.CHART),
            button("export_button", Action.EXPORT),
        ]
    )
    if campaign.status is CampaignStatus.CLOSED and campaign.published_at is None:
        rows.append([button("publish_button", Action.PUBLISH)])
    rows.append([button("refresh_button", Action.REFRESH)])
    return "\n".join(lines), rows
