"""Members search and ask; animators answer a question privately, then may publish it.

A question goes to every animator through the delivery engine (one send, created by the
asker, so erasure empties it); the first answer wins, a later one is told it came second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.delivery import Draft, Recipient
from bot.domain.faq import FaqError, Question
from bot.domain.members import Member, Role
from bot.i18n import Translator
from bot.localized import localized_content
from bot.services import Services
from conversations.common import member_only, say, unpack_press
from conversations.faq.browse import show_results
from conversations.faq.buttons import QUESTION
from conversations.faq.replies import home_press, refuse, show
from conversations.faq.typing import END, begin, done, typed
from conversations.faq.views import paragraphs, pick_view, question_rows, question_text
from schedules.deliveries import dispatch

CATEGORY = "faq"


@member_only(action="faq_search")
async def start_search(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """🔎: ask for the words to look for."""
    if not await home_press(update, t, "search"):
        return END
    return await begin(update, context, member, "search", t("faq.search.ask"))


@typed("search")
async def on_search(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The words to look for: the matching entries (asked again if there are no words)."""
    await context.services.faq.pending(member.user_id, "search")
    if not await show_results(update, context, t, text or ""):
        return "search"
    return await done(context, member)


@member_only(action="faq_ask")
async def start_ask(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """✉️: ask for the question to send to the animators."""
    if not await home_press(update, t, "ask"):
        return END
    return await begin(update, context, member, "ask", t("faq.ask.ask"))


@typed("ask")
async def on_ask(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The member's question: stored, sent to every animator, the member thanked."""
    services = context.services
    await services.faq.pending(member.user_id, "ask")
    question = await services.faq.ask(member.user_id, member.language, text)
    animators = [m.user_id for m in await services.members.staff() if m.has_role(Role.ANIMATOR)]
    name = member.display_name or "—"

    def render(tr: Translator) -> tuple[list[str], Any]:
        return [question_text(tr, question, name)], question_rows(tr, question)

    content = localized_content(render, services.translator, services.settings.language)
    draft = Draft("faq_question", CATEGORY, content, created_by=member.user_id)
    if animators:  # else it waits in the list for the first animator named
        await dispatch(context.application, services, draft, members=animators)
    await say(update, t("faq.ask.sent"))
    return await done(context, member)


@member_only(Role.ANIMATOR, "faq_answer")
async def start_answer(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """✍️ under a question: type the answer (unless another animator already did)."""
    values = await unpack_press(update, t, QUESTION, lambda v: v["question"].isdigit())
    if values is None:
        return END
    try:
        question = await context.services.faq.open_question(int(values["question"]))
    except FaqError as error:
        await refuse(update, t, error)
        return END
    prompt = t("faq.answer.ask", text=question.text)
    return await begin(update, context, member, "answer", prompt, question.id)


def answer_draft(services: Services, question: Question, animator_id: int) -> Draft:
    """The member's copy of the answer: one send per question (its key), never two."""
    answer = question.answer or ""

    def render(tr: Translator) -> tuple[list[str], Any]:
        return [str(paragraphs(tr("faq.answer.to_member", text=question.text), answer))], []

    content = localized_content(render, services.translator, question.language)
    key = f"faq_answer:{question.id}"
    return Draft("faq_answer", CATEGORY, content, animator_id, urgent=True, key=key)


async def _tell_asker(context: MaillageContext, question: Question, animator_id: int) -> bool:
    """Send the answer to the member who asked, through the delivery engine; False if gone.

    The send's key makes it once per question: typed again after a crash, the answer's send
    is the one created before (the engine sends each row once).
    """
    services = context.services
    asker = await services.members.get(question.user_id) if question.user_id else None
    if asker is None or asker.unreachable_at is not None:
        return False
    chat = Recipient(asker.user_id, asker.language, user_id=asker.user_id)
    draft = answer_draft(services, question, animator_id)
    await dispatch(context.application, services, draft, chats=[chat])
    return True


@typed("answer", Role.ANIMATOR, html=True)
async def on_answer(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The answer: recorded once, sent to the member once, then a theme to publish it in.

    Typed again after a crash, the answer is not recorded twice (``record_answer`` keeps the
    animator's own) and its send is the one created before (``answer_draft``'s key).
    """
    faq = context.services.faq
    question_id, _ = await faq.pending(member.user_id, "answer")
    try:
        question = await faq.record_answer(question_id or 0, member.user_id, text)
    except FaqError as error:
        if error.code not in ("already_answered", "gone"):
            raise
        await refuse(update, t, error)
        return await done(context, member)
    told = await _tell_asker(context, question, member.user_id)
    themes = await faq.entries.themes()
    note = t("faq.answer.sent" if told else "faq.answer.not_delivered")
    offer = t("faq.publish.offer" if themes else "faq.publish.no_theme")
    await show(update, paragraphs(note, offer), pick_view(t, themes, "pub", question.id, False))
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {"search": on_search, "ask": on_ask, "answer": on_answer}
