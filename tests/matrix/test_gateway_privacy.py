"""/mes_donnees and /supprimer cover the gateway's state file, linked account included."""

from __future__ import annotations

from pathlib import Path

from bot.matrix.members import GatewayPersonalData, linked_accounts
from bot.matrix.state import GatewayState, SavedMember
from bot.services import Services
from bot.transports import MATRIX_ID_BASE
from tests.conftest import register

ZOE = 4_403
TCHAP = MATRIX_ID_BASE + 4_403
OTHER = MATRIX_ID_BASE + 4_404


def _bridged(state: GatewayState, user_id: int, matrix_id: str, name: str) -> None:
    state.save_member(
        SavedMember(user_id, matrix_id, f"!room-{user_id}:hs", name, "fr", True, False)
    )
    state.save_message(user_id, 1, "$event", {"text": f"Bonjour {name}"})


async def test_the_gateway_file_is_exported_and_erased_with_the_member(
    services: Services, tmp_path: Path
) -> None:
    state = GatewayState(tmp_path / "gateway.sqlite")
    try:
        _bridged(state, TCHAP, "@zoe:tchap", "Zoé Tchap")
        _bridged(state, OTHER, "@leo:tchap", "Léo")
        await register(services, ZOE, "Zoé")
        code, _ = await services.links.new_code(ZOE)
        await services.links.link(TCHAP, code)
        services.privacy.add_source(GatewayPersonalData(state, linked_accounts(services)))

        exported = (await services.privacy.export(ZOE))["matrix_gateway"]
        assert exported == [
            {
                "matrix_id": "@zoe:tchap",
                "room_id": f"!room-{TCHAP}:hs",
                "display_name": "Zoé Tchap",
                "language": "fr",
                "kept_messages": 1,
            }
        ]
        await services.privacy.erase(ZOE)
        erased = state.member(TCHAP)
        assert erased is not None and (erased.name, erased.language) == ("", None)
        assert state.kept_messages(TCHAP) == 0
        files = [tmp_path / "gateway.sqlite", tmp_path / "gateway.sqlite-wal"]
        traces = [f.name for f in files if f.exists() and "Zoé Tchap".encode() in f.read_bytes()]
        assert traces == []  # nor in freed pages, nor in the write-ahead log
        kept = state.member(OTHER)  # somebody else's account is untouched
        assert kept is not None and kept.name == "Léo" and state.kept_messages(OTHER) == 1
    finally:
        state.close()
