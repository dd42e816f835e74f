"""A Telegram member links their Tchap account: ``!lier CODE`` typed in a real Matrix client.

The Telegram member is a simulated user of the gateway's own Bot API server (as the router
will present Telegram users); the Tchap account is a real Synapse account, whose id the
bridge derives in the Matrix range.
"""

from __future__ import annotations

import re

from bot.transports import Transport, is_matrix_number
from tests.conftest import register
from tests.matrix.gateway import MatrixNetwork

ZOE = 4_401
CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}\b")


async def test_a_tchap_account_links_with_bang_lier(matrix_network: MatrixNetwork) -> None:
    services = matrix_network.services
    zoe = matrix_network.bridge.sandbox.add_user(
        user_id=ZOE, first_name="Zoé", language_code="fr", started=True
    )
    await register(services, ZOE, "Zoé")
    tchap = await matrix_network.member("Zoé")
    assert is_matrix_number(tchap.user_id)

    await tchap.send("!lier ABCD-EFGH")  # a wrong code, typed the Tchap way
    await tchap.expect("Ce code est inconnu ou a expiré")
    await zoe.send("/lier")
    shown = await zoe.expect("Dans Tchap (Matrix)")
    code = CODE.search(shown["text"])
    assert code is not None
    await tchap.send(f"!lier {code.group().lower()}")
    await tchap.expect("Ce compte Tchap (Matrix) est maintenant lié à votre adhésion (Zoé)")
    await zoe.expect("Un compte Tchap (Matrix) vient d’être lié")
    assert services.addressing.member_of(tchap.user_id) == ZOE
    await services.links.send_to(ZOE, Transport.MATRIX)
    assert services.addressing.route_of(ZOE) == (Transport.MATRIX, tchap.user_id)
