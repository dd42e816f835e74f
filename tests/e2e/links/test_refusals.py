"""/lier refused, each time with a clear message: wrong codes, the same messenger, an account
with its own history, an account already linked, a second link, a non-member, bad input."""

from __future__ import annotations

from bot.transports import MATRIX_ID_BASE
from tests.e2e.conftest import Network
from tests.e2e.links.test_linking import ask_code

ZOE = 4_401
TCHAP = MATRIX_ID_BASE + 4_401


async def test_wrong_codes_then_the_account_must_wait(network: Network) -> None:
    zoe = await network.member("Zoé", user_id=ZOE)
    guesser = network.newcomer("Guess", user_id=MATRIX_ID_BASE + 9, started=True, language="en")
    code = await ask_code(zoe)
    for typed in ("AAAA-AAAA", "<b>x</b>", "Z" * 4000, "2345-678", "ABCD EFGH"):
        await guesser.send(f"/lier {typed}")
        await guesser.expect("This code is unknown or has expired")
    await guesser.send(f"/lier {code}")  # even the right one: the account waits
    await guesser.expect("Too many wrong codes from this account: try again in 60 min")
    refusals = [e for e in await network.services.audit.recent() if e.action == "link_code"]
    assert len(refusals) == 6 and not any(e.allowed for e in refusals)
    await guesser.send_sticker()
    await guesser.send("/lier")  # no code, not a member
    await guesser.expect("Already a member on another messenger? Send /link there")
    assert network.services.addressing.member_of(guesser.user_id) == guesser.user_id


async def test_each_account_that_may_not_be_linked_is_told_why(network: Network) -> None:
    zoe = await network.member("Zoé", user_id=ZOE)
    telegram_friend = network.newcomer("Théo", started=True)
    marc = await network.member("Marc", user_id=MATRIX_ID_BASE + 12)  # his own history
    code = await ask_code(zoe)

    await telegram_friend.send(f"/lier {code}")
    await telegram_friend.expect("envoyez-le depuis votre compte de l’autre messagerie")
    await zoe.send(f"/lier {code}")  # her own code, from her own account
    await zoe.expect("pas depuis Telegram")
    await marc.send(f"/lier {code}")
    await marc.expect("deux historiques ne se fusionnent pas")
    await marc.send("/lier")  # a Matrix member gets a code to type on Telegram
    shown = await marc.expect("Dans Telegram, ouvrez la conversation")
    assert "/lier " in shown["text"]

    tchap = network.newcomer("Zoé (Tchap)", user_id=TCHAP, started=True)
    await tchap.send(f"/lier {code}")  # still valid after the refusals
    await tchap.expect("est maintenant lié")
    await zoe.expect("vient d’être lié")
    await zoe.send("/lier")
    await zoe.expect("Un compte Tchap (Matrix) est déjà lié à votre adhésion")
    bruno = await network.member("Bruno")
    code = await ask_code(bruno)
    await tchap.send(f"/lier {code}")
    await tchap.expect("Ce compte est déjà lié à une adhésion")
    assert network.services.addressing.member_of(TCHAP) == ZOE
    await zoe.send("/proposer")  # a command in the middle of another conversation
    await zoe.expect("Quel sujet proposez-vous")
    await zoe.send("/delier")
    await zoe.expect("Vous êtes au milieu d’une question")
    assert network.services.addressing.member_of(TCHAP) == ZOE  # nothing done
    await zoe.send("/annuler")
    await zoe.send("/delier")
    await zoe.expect("n’est plus lié à votre adhésion")
    assert network.services.addressing.member_of(TCHAP) == TCHAP
