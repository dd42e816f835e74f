import logging

from bot.logs import REDACTED, install_redaction

SECRET = "123456789:AAH-secret-token-value-xyz"


def test_secret_is_redacted_from_messages_args_and_tracebacks(caplog) -> None:
    install_redaction([caplog.handler], [SECRET])
    log = logging.getLogger("test.redaction")
    log.warning("POST https://api.telegram.org/bot%s/getMe", SECRET)
    try:
        raise RuntimeError(f"failed on {SECRET}")
    except RuntimeError:
        log.exception("boom")
    assert SECRET not in caplog.text
    assert REDACTED in caplog.text


MATRIX_TOKEN = "syt_bWFpbGxhZ2U_secretsecretsecret_0abcde"


def test_the_matrix_access_token_is_redacted_like_the_bot_token(caplog) -> None:
    from bot.config import load_settings

    settings = load_settings(
        {"MAILLAGE_BOT_TOKEN": SECRET, "MAILLAGE_MATRIX_TOKEN": MATRIX_TOKEN}, env_file=None
    )
    install_redaction([caplog.handler], settings.secrets)
    log = logging.getLogger("test.redaction")
    log.warning("GET /_matrix/client/v3/sync?access_token=%s", MATRIX_TOKEN)
    log.warning("POST https://api.telegram.org/bot%s/getMe", SECRET)
    assert MATRIX_TOKEN not in caplog.text
    assert SECRET not in caplog.text
    assert caplog.text.count(REDACTED) == 2
