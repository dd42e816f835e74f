"""An answer typed again after a crash: recorded once, sent to the member once.

A bot killed while answering may have recorded the answer, and told the member, without
confirming it to the animator, who types it again (found by
tests/e2e/test_crash_resume_features.py). Here the killed bot's writes are made through
the services, then the animator goes on.
"""

from __future__ import annotations

from bot.delivery import Recipient, SendStatus
from bot.sandbox import SimUser
from conversations.faq.buttons import QUESTION
from conversations.faq.questions import answer_draft
from tests.e2e.conftest import Network
from tests.e2e.faq.helpers import answer

TEXT = "Dans le tableur national."


async def _answering(network: Network) -> tuple[SimUser, SimUser, int]:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    question = await network.services.faq.ask(bruno.user_id, "fr", "Où est l’annuaire ?")
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap_data(QUESTION.pack(question=question.id, action="answer"))
    await anne.expect("Écrivez votre réponse")
    return anne, bruno, question.id


async def test_recorded_but_not_sent_the_answer_typed_again_is_sent_once(
    network: Network,
) -> None:
    anne, bruno, question = await _answering(network)
    await network.services.faq.record_answer(question, anne.user_id, TEXT)  # then killed
    await answer(anne, TEXT, "Réponse envoyée au membre")  # not "another animator answered"
    await bruno.expect(TEXT)
    await bruno.expect_nothing()


async def test_recorded_and_sent_the_answer_typed_again_is_not_sent_twice(
    network: Network,
) -> None:
    anne, bruno, question_id = await _answering(network)
    services = network.services
    question = await services.faq.record_answer(question_id, anne.user_id, TEXT)
    copy = answer_draft(services, question, anne.user_id)
    chat = Recipient(bruno.user_id, "fr", user_id=bruno.user_id)
    send_id, _ = await services.deliveries.create_send(copy, chats=[chat])
    await services.deliveries.run(send_id)  # the member has it, then the bot is killed
    await bruno.expect(TEXT)
    await answer(anne, TEXT, "Réponse envoyée au membre")
    await bruno.expect_nothing(within=1.0)
    assert [s.id for s in await services.deliveries.sends(["faq_answer"], list(SendStatus))] == [
        send_id
    ]
    recorded = await services.faq.questions.get(question_id)
    assert recorded is not None and (recorded.answer, recorded.answered_by) == (TEXT, anne.user_id)
