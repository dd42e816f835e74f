"""How /lettre and /rappel look: the intro, the panel under the preview, lists and outcomes."""

from __future__ import annotations

from collections.abc import Mapping

from bot.callback_data import CallbackSpec
from bot.delivery.content import visible_length
from bot.domain.newsletter.model import BroadcastDraft, BroadcastKind, NewsletterError
from bot.domain.newsletter.service import Prepared, Waiting
from bot.domain.newsletter.template import TEXT_SOURCE
from bot.domain.segments import Segment
from bot.i18n import Translator
from bot.localized import Rows
from conversations.segment_picker import segment_value
from schedules.newsletter.jobs import Launched

ACT = CallbackSpec("nl_act", "k", "a")
"""A step of the flow (``a``) for a kind of broadcast (``k``)."""
AUD = CallbackSpec("nl_aud", "k", "f")
SEG = CallbackSpec("nl_seg", "k", "f", "v")
CANCEL = CallbackSpec("nl_cancel", "k", "s")
View = tuple[str, Rows]


def _act(t: Translator, label: str, kind: BroadcastKind, action: str, **params: object) -> tuple:
    return t(f"newsletter.button.{label}", **params), ACT.pack(k=kind.value, a=action)


def intro_view(t: Translator, kind: BroadcastKind, draft: BroadcastDraft, waiting: int) -> View:
    """What to type, the draft under way, and the sends already scheduled."""
    lines = [t(f"newsletter.intro.{kind}", limit=kind.max_length)]
    rows: Rows = []
    if draft.body:
        lines.append(t("newsletter.intro.draft", length=visible_length(draft.body)))
        rows.append([_act(t, "preview", kind, "preview"), _act(t, "clear", kind, "clear")])
    if waiting:
        rows.append([_act(t, "waiting", kind, "waiting", number=waiting)])
    return "\n\n".join(lines), rows


def added_view(t: Translator, kind: BroadcastKind, draft: BroadcastDraft) -> View:
    """The text was added to the draft."""
    text = t("newsletter.intro.added", length=visible_length(draft.body))
    return text, [[_act(t, "preview", kind, "preview")]]


def audience_name(t: Translator, segment: Segment) -> str:
    """Who a segment is, in words: the whole network, a territory, an organisation, a role."""
    if segment.field is None:
        return str(t("newsletter.audience.everyone"))
    return str(t(f"newsletter.audience.{segment.field}", value=segment_value(t, segment)))


def skipped_text(t: Translator, skipped: Mapping[str, int]) -> str:
    """The members left out and why, in parentheses (empty if nobody is)."""
    details = [t(f"newsletter.skipped.{reason}", n) for reason, n in skipped.items() if n]
    if not details:
        return ""
    return str(t("newsletter.skipped.list", details=", ".join(str(d) for d in details)))


def panel_view(t: Translator, kind: BroadcastKind, prepared: Prepared) -> View:
    """Under the preview: recipients and counts, length, urgency, and what to do next."""
    audience = prepared.audience
    lines = [
        t("newsletter.panel.title"),
        t(
            "newsletter.panel.audience",
            audience=audience_name(t, prepared.draft.segment),
            reach=t("newsletter.reach", count=audience.eligible),
            skipped=skipped_text(t, audience.skipped),
        ),
    ]
    if not audience.eligible:
        lines.append(t("newsletter.panel.nobody"))
    if prepared.composition.most_parts > 1:
        lines.append(t("newsletter.panel.parts", prepared.composition.most_parts))
    lines.append(
        t("newsletter.panel.urgent" if prepared.draft.urgent else "newsletter.panel.not_urgent")
    )
    urgent = "urgent_on" if prepared.draft.urgent else "urgent_off"
    rows: Rows = [
        [_act(t, "audience", kind, "audience"), _act(t, urgent, kind, "urgent")],
        [_act(t, "add", kind, "add"), _act(t, "test", kind, "test")],
    ]
    if audience.eligible:
        rows.append([_act(t, "now", kind, "now"), _act(t, "later", kind, "later")])
    return "\n".join(lines), rows


def confirm_view(t: Translator, kind: BroadcastKind, prepared: Prepared) -> View:
    """The last question before sending now."""
    text = t(
        "newsletter.panel.confirm",
        what=t(f"newsletter.what.{kind}"),
        audience=audience_name(t, prepared.draft.segment),
    )
    count = prepared.audience.eligible
    return text, [[_act(t, "confirm", kind, "go", count=count), _act(t, "back", kind, "back")]]


def back_row(t: Translator, kind: BroadcastKind) -> list[tuple[str, str]]:
    """A row with the button back to the panel."""
    return [_act(t, "back", kind, "back")]


def launched_text(t: Translator, kind: BroadcastKind, launched: Launched, command: str) -> str:
    """Sent now or scheduled: to how many, and who waits for their quiet hours to end."""
    what = t(f"newsletter.what.{kind}")
    members = t("newsletter.members", count=launched.audience.eligible)
    if launched.due_at is None:
        text = t("newsletter.outcome.now", what=what, members=members)
    else:
        when = t.datetime(launched.due_at)
        text = t("newsletter.outcome.later", what=what, when=when, members=members, command=command)
    if launched.audience.deferred:
        text += "\n" + t("newsletter.outcome.deferred", launched.audience.deferred)
    return str(text)


def waiting_view(t: Translator, kind: BroadcastKind, waiting: list[Waiting]) -> View:
    """The scheduled sends of this kind, each with its cancel button."""
    if not waiting:
        return str(t("newsletter.waiting.none")), []
    lines = [t("newsletter.waiting.title")]
    rows: Rows = []
    for item in waiting:
        when = t.datetime(item.due_at)
        lines.append(
            t(
                "newsletter.waiting.line",
                item.recipients,
                when=when,
                audience=audience_name(t, item.segment),
                urgent=t("newsletter.waiting.urgent") if item.urgent else "",
            )
        )
        label = t("newsletter.button.cancel_send", when=when)
        rows.append([(label, CANCEL.pack(k=kind.value, s=item.send_id))])
    return "\n".join(lines), rows


def error_text(t: Translator, error: NewsletterError) -> str:
    """A refusal in the animator's words: which template or line, what to do."""
    details = dict(error.details)
    source, line = details.get("source"), details.get("line")
    if error.code in ("template", "template_unknown"):
        if source == TEXT_SOURCE:
            key = "text" if line else "text_whole"
        else:
            key = "template" if line else "template_whole"
        details["where"] = t(f"newsletter.where.{key}", line=line, name=source)
    if error.code == "nobody":
        details["details"] = skipped_text(t, details.pop("skipped", {}))
    return str(t(f"newsletter.error.{error.code}", **details))
