"""The messages diagnostic campaigns send through the delivery engine, in every language.

Invitations, reminders, the "results published" notice and the closing notice to the
animator. Pure rendering (catalog texts and button rows); the jobs and the handlers both
use it. Nothing here imports ``conversations`` (which imports the schedules).
"""

from __future__ import annotations

from babel.numbers import format_percent

from bot.callback_data import CallbackSpec
from bot.domain.diagnostic.model import Campaign, Participation
from bot.i18n import Translator
from bot.localized import Rows

GO = CallbackSpec("dq_go", "c")
PUBLISHED = CallbackSpec("dq_pub", "c")
Button = tuple[str, str]
View = tuple[str, Rows]


def percent(t: Translator, value: float) -> str:
    """A share as a percentage in the reader's language."""
    return format_percent(value, locale=t.language)


def anonymity_note(t: Translator, campaign: Campaign) -> str:
    """What members are told about who sees their answers."""
    if campaign.anonymous:
        return t("diagnostic.invite.anonymous", threshold=campaign.threshold)
    return t("diagnostic.invite.named")


def invitation(t: Translator, campaign: Campaign) -> View:
    """The invitation to answer, with its button."""
    questionnaire = campaign.questionnaire
    text = t(
        "diagnostic.invite.text",
        title=questionnaire.title(t.language),
        intro=questionnaire.intro(t.language),
        questions=t("diagnostic.invite.questions", count=campaign.size),
        closes=t.datetime(campaign.closes_at),
        anonymity=anonymity_note(t, campaign),
    )
    return text, [[(t("diagnostic.invite.button"), GO.pack(c=campaign.id))]]


def reminder(t: Translator, campaign: Campaign) -> View:
    """The reminder sent to members who have not finished."""
    text = t(
        "diagnostic.invite.reminder",
        title=campaign.questionnaire.title(t.language),
        closes=t.datetime(campaign.closes_at),
    )
    return text, [[(t("diagnostic.invite.reminder_button"), GO.pack(c=campaign.id))]]


def published(t: Translator, campaign: Campaign) -> View:
    """The notice that results are published, to the members who took part."""
    text = t("diagnostic.invite.published", title=campaign.questionnaire.title(t.language))
    return text, [[(t("diagnostic.invite.published_button"), PUBLISHED.pack(c=campaign.id))]]


def closed_notice(t: Translator, campaign: Campaign, participation: Participation) -> View:
    """The notice to the animator who launched a campaign that it closed."""
    text = t(
        "diagnostic.invite.closed",
        title=campaign.questionnaire.title(t.language),
        id=campaign.id,
        completed=participation.completed,
        invited=participation.invited,
        rate=percent(t, participation.rate),
    )
    return text, []
