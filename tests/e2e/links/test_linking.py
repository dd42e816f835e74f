"""/lier through the sandbox: a Telegram member links a Tchap account (id in the Matrix range).

The router that presents the linked account as the member is not part of this sandbox: the
account types its code as itself, and ``services.addressing`` shows what the router will see.
"""

from __future__ import annotations

import json
import re

from bot.sandbox import SimUser
from bot.transports import MATRIX_ID_BASE, Transport
from conversations.links.buttons import SEND_TO, UNLINK
from tests.e2e.conftest import Network

ZOE = 4_401
TCHAP = MATRIX_ID_BASE + 4_401
CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}\b")


async def ask_code(member: SimUser, command: str = "/lier") -> str:
    """The member asks for a code; return it as shown."""
    await member.send(command)
    shown = await member.expect("code")
    found = CODE.search(shown["text"])
    assert found is not None, shown["text"]
    return found.group()


async def test_link_notice_choice_and_unlink(network: Network) -> None:
    services = network.services
    zoe = await network.member("Zoé", user_id=ZOE)
    tchap = network.newcomer("Zoé (Tchap)", user_id=TCHAP, started=True)

    await zoe.send("/lier")
    shown = await zoe.expect("Votre code de liaison")
    assert "Dans Tchap (Matrix)" in shown["text"] and "!lier " in shown["text"]
    code = CODE.search(shown["text"])
    assert code is not None
    await tchap.send(f"/lier {code.group().lower()}")
    await tchap.expect("Ce compte Tchap (Matrix) est maintenant lié à votre adhésion (Zoé)")
    notice = await zoe.expect("Un compte Tchap (Matrix) vient d’être lié à votre adhésion")
    assert services.addressing.member_of(TCHAP) == ZOE
    assert services.addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)

    await zoe.send("/mes_donnees")
    export = json.loads((await zoe.expect_document()).data)
    assert [link["account_id"] for link in export["links"]["links"]] == [TCHAP]

    await zoe.send("/preferences")
    await zoe.expect("Compte Tchap (Matrix) lié. 📨 Vos messages arrivent sur Telegram.")
    await zoe.tap("📨 Recevoir mes messages sur Tchap (Matrix)")
    await zoe.expect("📨 Vos messages arrivent sur Tchap (Matrix).")
    assert services.addressing.route_of(ZOE) == (Transport.MATRIX, TCHAP)
    await zoe.tap("📨 Recevoir mes messages sur Telegram")
    await zoe.expect("📨 Vos messages arrivent sur Telegram.")
    assert services.addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)
    await zoe.tap("📨 Recevoir mes messages sur Tchap (Matrix)")
    await zoe.expect("📨 Vos messages arrivent sur Tchap (Matrix).")
    await zoe.tap_data(SEND_TO.pack(t="fax"))  # forged
    assert (await zoe.expect("expiré"))["toast"]
    await zoe.tap_data(UNLINK.pack(a=TCHAP + 1))  # forged: not her linked account
    assert (await zoe.expect("expiré"))["toast"]
    assert services.addressing.member_of(TCHAP) == ZOE

    await zoe.tap("🔓 Délier le compte Tchap (Matrix)")
    await zoe.expect("Le compte Tchap (Matrix) n’est plus lié à votre adhésion")
    await tchap.expect("Ce compte n’est plus lié à une adhésion au réseau")
    assert services.addressing.member_of(TCHAP) == TCHAP
    assert services.addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)
    await zoe.tap("Délier", message_id=notice["message_id"])  # the notice's button, now stale
    assert (await zoe.expect("expiré"))["toast"]
    await zoe.send("/preferences")
    screen = await zoe.expect("Vos préférences de diffusion")
    assert "lié" not in screen["text"]
    await zoe.tap_data(SEND_TO.pack(t="matrix"), screen["message_id"])  # no link any more
    assert (await zoe.expect("expiré"))["toast"]
    assert services.addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)


async def test_the_notice_button_and_unlink_undo_a_link_made_by_someone_else(
    network: Network,
) -> None:
    services = network.services
    zoe = await network.member("Zoé", user_id=ZOE, language="en")
    intruder = network.newcomer("Mallory", "en", user_id=TCHAP, started=True)
    code = await ask_code(zoe, "/link")
    await intruder.send(f"/link {code}")
    await intruder.expect("This Tchap (Matrix) account is now linked to your membership")
    await zoe.expect("A Tchap (Matrix) account was just linked to your membership")
    await zoe.tap("🔓 Unlink the Tchap (Matrix) account")
    await zoe.expect("The Tchap (Matrix) account is no longer linked")
    told = await intruder.expect("This account is no longer linked to a membership")
    assert "send /link from Telegram" in told["text"]
    assert services.addressing.member_of(TCHAP) == TCHAP
    await intruder.send(f"/link {code}")  # used once: gone
    await intruder.expect("This code is unknown or has expired")

    code = await ask_code(zoe, "/link")
    await intruder.send(f"/link {code}")
    await zoe.expect("was just linked")
    await zoe.send("/unlink")
    await zoe.expect("The Tchap (Matrix) account is no longer linked")
    await zoe.send("/unlink")
    await zoe.expect("No account of another messenger is linked")
    assert services.addressing.member_of(TCHAP) == TCHAP
    actions = [(e.action, e.allowed) for e in await services.audit.recent()]
    assert actions.count(("link", True)) == 2 and actions.count(("unlink", True)) == 2


async def test_a_code_typed_mid_registration_links_and_a_wrong_one_keeps_the_question(
    network: Network,
) -> None:
    """Zoé began registering on Tchap, then remembered she is a member: the code wins."""
    services = network.services
    zoe = await network.member("Zoé", user_id=ZOE)
    tchap = network.newcomer("Zoé (Tchap)", user_id=TCHAP)
    await tchap.send("/start")
    await tchap.expect("Acceptez-vous ces conditions")
    await tchap.send("/lier ABCD-EFGH")
    await tchap.expect("Ce code est inconnu ou a expiré")
    await tchap.tap("J’accepte")  # the refused code left the question where it was
    await tchap.expect("Quel nom voulez-vous afficher")
    code = await ask_code(zoe)
    await tchap.send(f"/lier {code}")
    await tchap.expect("est maintenant lié à votre adhésion (Zoé)")
    assert services.addressing.member_of(TCHAP) == ZOE
