"""/lettre (/newsletter) and /rappel (/reminder): write, preview, test, send or schedule, cancel.

One conversation serves both kinds of broadcast. The draft lives in the database (each
typed message is added at once); the conversation state only says whether the animator is
typing text or a date. Buttons work at any moment: each re-checks the role, re-reads the
draft and answers stale or forged payloads with "ce bouton a expiré".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError, parse_datetime_input
from bot.domain.members import Member, Role
from bot.domain.newsletter.model import BroadcastKind, NewsletterError
from bot.domain.newsletter.service import Prepared
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import (
    acknowledge,
    markup_of,
    member_only,
    notify,
    replace_with,
    say,
    translator_for,
    unpack_press,
)
from conversations.dates import datetime_error_text
from conversations.newsletter.views import (
    ACT,
    AUD,
    CANCEL,
    SEG,
    added_view,
    back_row,
    confirm_view,
    error_text,
    intro_view,
    launched_text,
    panel_view,
    waiting_view,
)
from conversations.segment_picker import FIELD_CHOICES, chosen, field_rows, value_rows
from schedules.newsletter.buttons import RESEND
from schedules.newsletter.jobs import launch, resend, send_test
from schedules.newsletter.messages import broadcast_content

State = str | int | None
KINDS = {kind.value: kind for kind in BroadcastKind}
COMMAND_NAMES = {
    BroadcastKind.NEWSLETTER: ("lettre", "newsletter"),
    BroadcastKind.REMINDER: ("rappel", "reminder"),
}
BUTTON_ACTION = "broadcast_button"
"""The audit name of every button press of the flow."""


def text_state(kind: BroadcastKind) -> str:
    """The animator is typing the text of a broadcast of this kind."""
    return f"{kind}:text"


def when_state(kind: BroadcastKind) -> str:
    """The animator is typing when a broadcast of this kind goes out."""
    return f"{kind}:when"


async def _refuse(update: Update, t: Translator, error: NewsletterError) -> None:
    """Say why nothing happened (a message: the animator needs to read the line)."""
    if update.callback_query is not None:
        await acknowledge(update.callback_query)
    await say(update, error_text(t, error))


async def _prepared(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> Prepared | None:
    """The draft rendered with its audience, or None once the refusal was said."""
    try:
        return await context.services.newsletters.prepare(member.user_id, kind)
    except NewsletterError as error:
        await _refuse(update, t, error)
        return None


# -- typing -------------------------------------------------------------------------------


async def _start(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """The intro: what to type, the draft under way, the scheduled sends."""
    letters = context.services.newsletters
    draft = await letters.draft(member.user_id, kind)
    waiting = await letters.waiting(kind)
    text, rows = intro_view(t, kind, draft, len(waiting))
    await say(update, text, markup_of(rows))
    return text_state(kind)


start_newsletter = member_only(Role.ANIMATOR, "newsletter")(
    partial(_start, kind=BroadcastKind.NEWSLETTER)
)
start_reminder = member_only(Role.ANIMATOR, "reminder")(
    partial(_start, kind=BroadcastKind.REMINDER)
)


@member_only(Role.ANIMATOR, "broadcast_text")
async def on_text(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """A message of text for the draft (its formatting kept as Telegram HTML)."""
    message = update.effective_message
    assert message is not None
    try:
        draft = await context.services.newsletters.add_text(member.user_id, kind, message.text_html)
    except NewsletterError as error:
        await say(update, error_text(t, error))
        return text_state(kind)
    text, rows = added_view(t, kind, draft)
    await say(update, text, markup_of(rows))
    return text_state(kind)


async def on_not_text(update: Update, context: MaillageContext, state: str) -> State:
    """A photo, sticker or file where text is expected: ask again, keep the place."""
    t = await translator_for(update, context)
    await say(update, t("newsletter.intro.text_expected"))
    return state


def _command(t: Translator, kind: BroadcastKind) -> str:
    """The command of this kind in the animator's language (to come back to the list)."""
    french, english = COMMAND_NAMES[kind]
    return french if t.language == "fr" else english


@member_only(Role.ANIMATOR, "broadcast_when")
async def on_when(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """The date and time it goes out, typed in the network's zone."""
    message = update.effective_message
    assert message is not None and message.text is not None
    services = context.services
    try:
        due_at = parse_datetime_input(
            message.text, services.settings.timezone, services.clock.now()
        )
    except DateTimeInputError as error:
        await say(update, datetime_error_text(t, error))
        return when_state(kind)
    try:
        launched = await launch(context.application, services, member.user_id, kind, due_at)
    except NewsletterError as error:
        await _refuse(update, t, error)
        return ConversationHandler.END
    await say(update, launched_text(t, kind, launched, _command(t, kind)))
    return ConversationHandler.END


# -- the steps behind the buttons --------------------------------------------------------

Step = Callable[[Update, MaillageContext, Member, Translator, BroadcastKind], Awaitable[State]]


async def _preview(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Send the broadcast as members will see it, then the panel under it."""
    services = context.services
    prepared = await _prepared(update, context, member, t, kind)
    if prepared is None:
        return text_state(kind)
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    message = broadcast_content(prepared.composition, kind, services.translator).for_language(
        t.language
    )
    for number, part in enumerate(message.parts, start=1):
        last = number == len(message.parts)
        markup = InlineKeyboardMarkup.de_json(message.keyboard, context.bot) if last else None
        await say(update, part, markup)
    text, rows = panel_view(t, kind, prepared)
    await say(update, text, markup_of(rows))
    return ConversationHandler.END


async def _panel(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Show the panel again in place (after a change of audience or urgency, or 'back')."""
    prepared = await _prepared(update, context, member, t, kind)
    if prepared is None:
        return text_state(kind)
    await replace_with(update, *panel_view(t, kind, prepared))
    return ConversationHandler.END


async def _urgent(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Urgent (through quiet hours) or not."""
    await context.services.newsletters.toggle_urgent(member.user_id, kind)
    return await _panel(update, context, member, t, kind)


async def _clear(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Empty the draft and start again."""
    await context.services.newsletters.clear(member.user_id, kind)
    await replace_with(update, t("newsletter.intro.cleared"))
    return text_state(kind)


async def _add(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Back to typing: what comes next is added to the draft."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    draft = await context.services.newsletters.draft(member.user_id, kind)
    text, _ = intro_view(t, kind, draft, 0)
    await say(update, text)
    return text_state(kind)


async def _audience(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Who receives it: the whole network, or a field to choose a value of."""
    rows = await field_rows(t, context.services.segments, lambda f: AUD.pack(k=kind.value, f=f))
    await replace_with(update, t("newsletter.panel.choose_field"), [*rows, back_row(t, kind)])
    return ConversationHandler.END


async def _test(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Send it to the animator alone, through the delivery engine."""
    try:
        count = await send_test(
            context.application, context.services, member.user_id, t.language, kind
        )
    except NewsletterError as error:
        await _refuse(update, t, error)
        return ConversationHandler.END
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    await say(update, t("newsletter.outcome.test", count))
    return ConversationHandler.END


async def _confirm(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Ask once more before sending now (or say that nobody would receive it)."""
    prepared = await _prepared(update, context, member, t, kind)
    if prepared is None:
        return ConversationHandler.END
    if not prepared.audience.eligible:
        await replace_with(update, *panel_view(t, kind, prepared))
        return ConversationHandler.END
    await replace_with(update, *confirm_view(t, kind, prepared))
    return ConversationHandler.END


async def _go(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Send now."""
    try:
        launched = await launch(context.application, context.services, member.user_id, kind)
    except NewsletterError as error:
        await _refuse(update, t, error)
        return ConversationHandler.END
    await replace_with(update, launched_text(t, kind, launched, _command(t, kind)))
    return ConversationHandler.END


async def _later(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Ask when it should go out."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    await say(update, t("newsletter.panel.ask_when", zone=str(t.timezone)))
    return when_state(kind)


async def _waiting(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """The scheduled sends, each with its cancel button."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    text, rows = waiting_view(t, kind, await context.services.newsletters.waiting(kind))
    await say(update, text, markup_of(rows))
    return ConversationHandler.END


STEPS: dict[str, Step] = {
    "preview": _preview,
    "back": _panel,
    "urgent": _urgent,
    "clear": _clear,
    "add": _add,
    "audience": _audience,
    "test": _test,
    "now": _confirm,
    "go": _go,
    "later": _later,
    "waiting": _waiting,
}


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_step(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """A button of the flow: run its step for its kind of broadcast."""
    data = await unpack_press(update, t, ACT, lambda d: d["k"] in KINDS and d["a"] in STEPS)
    if data is None:
        return None
    return await STEPS[data["a"]](update, context, member, t, KINDS[data["k"]])


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_field(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Everyone, or the values of a field to choose from."""
    data = await unpack_press(update, t, AUD, lambda d: d["k"] in KINDS and d["f"] in FIELD_CHOICES)
    if data is None:
        return None
    kind = KINDS[data["k"]]
    segment = await chosen(context.services.segments, data["f"])
    if segment is not None:
        await context.services.newsletters.set_segment(member.user_id, kind, segment)
        return await _panel(update, context, member, t, kind)
    pack = partial(_pack_segment, kind)
    rows = await value_rows(t, context.services.segments, data["f"], pack)
    if not rows:
        await notify(update, t("newsletter.panel.no_value"))
        return None
    await replace_with(update, t("newsletter.panel.choose_value"), [*rows, back_row(t, kind)])
    return None


def _pack_segment(kind: BroadcastKind, field: str, key: str) -> str:
    return SEG.pack(k=kind.value, f=field, v=key)


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_segment(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A territory, organisation or role was chosen."""
    data = await unpack_press(update, t, SEG, lambda d: d["k"] in KINDS)
    segment = await chosen(context.services.segments, data["f"], data["v"]) if data else None
    if data is None or segment is None:
        if data is not None:
            await notify(update, t("buttons.expired"))
        return None
    kind = KINDS[data["k"]]
    await context.services.newsletters.set_segment(member.user_id, kind, segment)
    return await _panel(update, context, member, t, kind)


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_cancel(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Cancel a scheduled send, then list what is still scheduled."""
    data = await unpack_press(update, t, CANCEL, lambda d: d["k"] in KINDS and d["s"].isdigit())
    if data is None:
        return None
    kind = KINDS[data["k"]]
    letters = context.services.newsletters
    waiting = {item.send_id: item for item in await letters.waiting(kind)}
    item = waiting.get(int(data["s"]))
    if item is None or not await letters.cancel(item.send_id, kind):
        await notify(update, t("newsletter.outcome.not_cancelled"))
        return None
    done = t("newsletter.outcome.cancelled", when=t.datetime(item.due_at))
    text, rows = waiting_view(t, kind, await letters.waiting(kind))
    await replace_with(update, f"{done}\n\n{text}", rows)
    return None


@member_only(Role.ANIMATOR, "broadcast_resend")
async def on_resend(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """The report's explicit button: send again to the failed and unknown recipients."""
    data = await unpack_press(update, t, RESEND, lambda d: d["s"].isdigit())
    services = context.services
    broadcast = await services.newsletters.broadcast(int(data["s"])) if data else None
    if broadcast is None:
        if data is not None:
            await notify(update, t("buttons.expired"))
        return None
    count = await resend(context.application, services, broadcast.send_id)
    if not count:
        await notify(update, t("newsletter.outcome.nothing_to_resend"))
        return None
    await acknowledge(update.callback_query)
    await say(update, t("newsletter.outcome.resent", count))
    return None


def build() -> list[BaseHandler]:
    """The broadcast conversation: commands and buttons enter it at any moment."""
    states: dict[object, list[BaseHandler]] = {}
    private = filters.ChatType.PRIVATE
    typed = filters.TEXT & ~filters.COMMAND
    for kind in BroadcastKind:
        for state, on_typed in ((text_state(kind), on_text), (when_state(kind), on_when)):
            states[state] = [
                MessageHandler(typed, partial(on_typed, kind=kind)),
                MessageHandler(~filters.TEXT & ~filters.COMMAND, partial(on_not_text, state=state)),
            ]
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler(COMMAND_NAMES[BroadcastKind.NEWSLETTER], start_newsletter, private),
                CommandHandler(COMMAND_NAMES[BroadcastKind.REMINDER], start_reminder, private),
                CallbackQueryHandler(on_step, pattern=ACT.pattern),
                CallbackQueryHandler(on_field, pattern=AUD.pattern),
                CallbackQueryHandler(on_segment, pattern=SEG.pattern),
                CallbackQueryHandler(on_cancel, pattern=CANCEL.pattern),
                CallbackQueryHandler(on_resend, pattern=RESEND.pattern),
            ],
            states=states,
            fallbacks=cancel_handlers(),
            name="broadcast",
            persistent=True,
            allow_reentry=True,
        )
    ]
