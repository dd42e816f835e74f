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
