"""``maillage run --transport matrix``: its settings, its errors, and the gateway it serves."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.cli import main
from bot.config import DEFAULT_MATRIX_RATE, ConfigError, load_settings
from bot.matrix.gateway import MatrixGateway
from bot.matrix.homeserver import Homeserver
from bot.matrix.identity import matrix_user_number
from bot.serving import serving
from bot.transports import Transport
from tests.matrix.gateway import new_account

TELEGRAM_TOKEN = "123456789:AAH-test-token-for-maillage-sandbox"
MATRIX = {
    "MAILLAGE_MATRIX_HOMESERVER": "https://matrix.agent.tchap.gouv.fr/",
    "MAILLAGE_MATRIX_USER": "@maillage-drome:agent.tchap.gouv.fr",
    "MAILLAGE_MATRIX_TOKEN": "syt_bWFpbGxhZ2U_secretsecretsecret_0abcde",
}


def test_the_matrix_account_is_read_with_its_defaults() -> None:
    account = load_settings({**MATRIX, "MAILLAGE_DB": "/srv/maillage/reseau.db"}, None)
    matrix = account.require_matrix()
    assert matrix.homeserver == "https://matrix.agent.tchap.gouv.fr"
    assert matrix.user_id == "@maillage-drome:agent.tchap.gouv.fr"
    assert matrix.per_second == DEFAULT_MATRIX_RATE
    assert matrix.state_path == Path("/srv/maillage/reseau-matrix.sqlite")  # next to the db
    assert MATRIX["MAILLAGE_MATRIX_TOKEN"] not in repr(account) + repr(matrix)
    assert MATRIX["MAILLAGE_MATRIX_TOKEN"] in account.secrets


def test_state_file_and_rate_can_be_set() -> None:
    settings = load_settings(
        {**MATRIX, "MAILLAGE_MATRIX_STATE": "/var/lib/g.sqlite", "MAILLAGE_MATRIX_RATE": "25"},
        None,
    )
    matrix = settings.require_matrix()
    assert (matrix.state_path, matrix.per_second) == (Path("/var/lib/g.sqlite"), 25)


def test_a_matrix_admin_is_named_by_their_matrix_id() -> None:
    settings = load_settings({"MAILLAGE_ADMINS": "12, @anne:agent.tchap.gouv.fr"}, None)
    assert settings.admins == {12, matrix_user_number("@anne:agent.tchap.gouv.fr")}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HOMESERVER", "matrix.example", "MAILLAGE_MATRIX_HOMESERVER: not a homeserver URL"),
        ("USER", "maillage", "MAILLAGE_MATRIX_USER: not a Matrix user id 'maillage'"),
        ("TOKEN", "a b c d e f g h", "MAILLAGE_MATRIX_TOKEN: not an access token"),
        ("RATE", "0", "MAILLAGE_MATRIX_RATE: events per second"),
    ],
)
def test_a_bad_matrix_value_names_its_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({**MATRIX, f"MAILLAGE_MATRIX_{name}": value}, None)
    assert str(error.value).startswith(message)
    assert MATRIX["MAILLAGE_MATRIX_TOKEN"] not in str(error.value)


def test_run_matrix_without_its_account_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in MATRIX:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MAILLAGE_MATRIX_USER", MATRIX["MAILLAGE_MATRIX_USER"])
    assert main(["run", "--transport", "matrix"]) == 2
    assert capsys.readouterr().err.strip() == (
        "MAILLAGE_MATRIX_HOMESERVER, MAILLAGE_MATRIX_TOKEN: required with --transport matrix"
        " (README: Going live on Tchap)"
    )
    assert not (tmp_path / "maillage.db").exists()


def test_run_refuses_a_webhook_for_matrix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in MATRIX.items():
        monkeypatch.setenv(name, value)
    code = main(["run", "--transport", "matrix", "--webhook-url", "https://example.org/hook"])
    assert code == 2
    assert "--webhook-url: Telegram only" in capsys.readouterr().err


async def test_telegram_is_served_with_the_settings_as_they_are() -> None:
    settings = load_settings({"MAILLAGE_BOT_TOKEN": TELEGRAM_TOKEN, **MATRIX}, None)
    async with serving(settings, Transport.TELEGRAM) as served:
        assert served.settings is settings and served.attach is None
    with pytest.raises(ConfigError, match="MAILLAGE_BOT_TOKEN: required"):
        async with serving(load_settings(MATRIX, None), Transport.TELEGRAM):
            pass


async def test_the_gateway_serves_the_bot_api_only(homeserver: Homeserver, tmp_path: Path) -> None:
    account = await new_account(homeserver, "maillage")
    settings = load_settings(
        {
            "MAILLAGE_DB": str(tmp_path / "bot.db"),
            "MAILLAGE_MATRIX_HOMESERVER": homeserver.base_url,
            "MAILLAGE_MATRIX_USER": account.user_id,
            "MAILLAGE_MATRIX_TOKEN": account.access_token,
        },
        None,
    )
    gateway = MatrixGateway(settings.require_matrix())
    other = MatrixGateway(settings.require_matrix())
    assert gateway.token != other.token  # drawn for each run
    await gateway.start()
    try:
        assert gateway.api_url.startswith("http://127.0.0.1:")
        base = gateway.api_url.removesuffix("/bot")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{gateway.api_url}{gateway.token}/getMe") as answer:
                me = await answer.json()
            assert me["result"]["id"] == matrix_user_number(account.user_id)
            async with http.get(f"{gateway.api_url}{other.token}/getMe") as answer:
                assert answer.status == 401
            async with http.get(f"{base}/_sandbox/info") as answer:
                assert answer.status == 404  # no control API, no token handed out
        assert (tmp_path / "bot-matrix.sqlite").is_file()
    finally:
        await gateway.stop()
