import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import CallbackDataError, CallbackSpec

VOTE = CallbackSpec("vote", "poll", "choice")


def test_pack_and_unpack_round_trip() -> None:
    data = VOTE.pack(poll=42, choice="b")
    assert data == "vote:1:42:b"
    assert VOTE.unpack(data) == {"poll": "42", "choice": "b"}
    assert VOTE.pattern.match(data)


@pytest.mark.parametrize(
    "data", [None, "", "vote", "vote:1:42", "vote:2:42:b", "other:1:42:b", "vote:1:42:b:extra"]
)
def test_unknown_malformed_or_old_payloads_unpack_to_none(data: str | None) -> None:
    assert VOTE.unpack(data) is None


def test_refuses_separator_missing_field_and_over_64_bytes() -> None:
    with pytest.raises(CallbackDataError):
        VOTE.pack(poll="4:2", choice="b")
    with pytest.raises(CallbackDataError):
        VOTE.pack(poll=1)
    with pytest.raises(CallbackDataError):
        VOTE.pack(poll="é" * 30, choice="x")


@given(st.text(alphabet=st.characters(blacklist_characters=":"), min_size=1, max_size=20))
def test_any_value_that_fits_round_trips(value: str) -> None:
    try:
        data = VOTE.pack(poll=value, choice="x")
    except CallbackDataError:
        encoded = f"vote:1:{value}:x".encode(errors="surrogatepass")
        assert len(encoded) > 64 or any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return
    assert len(data.encode()) <= 64
    assert VOTE.unpack(data) == {"poll": value, "choice": "x"}
