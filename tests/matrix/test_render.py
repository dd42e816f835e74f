"""Pure rules of the gateway: ids, rendering a bot message, reading a member's answer."""

from __future__ import annotations

from typing import Any

from bot.matrix.identity import MATRIX_ID_BASE, is_matrix_number, matrix_user_number
from bot.matrix.render import CHOICES_KEY, bang_commands, content, matrix_html, replacement
from bot.matrix.replies import as_text, out_of_range, press

VIEW: dict[str, Any] = {
    "message_id": 7,
    "from": "bot",
    "text": "Acceptez-vous ?",
    "html": "<b>Acceptez</b>-vous ?\nMerci",
    "buttons": [
        [{"text": "✅ J’accepte", "callback_data": "c:yes"}],
        [{"text": "Je refuse", "callback_data": "c:no"}, {"text": "Site", "url": "https://x.fr"}],
    ],
}


def test_matrix_ids_never_collide_with_telegram_ids_and_are_stable() -> None:
    number = matrix_user_number("@chloe:tchap.gouv.fr")
    assert number == matrix_user_number("@chloe:tchap.gouv.fr")
    assert number != matrix_user_number("@chloe:agent.tchap.gouv.fr")
    assert MATRIX_ID_BASE <= number < 2**53 and is_matrix_number(number)
    assert not is_matrix_number(2**52 - 1)  # the largest Telegram id


def test_buttons_become_numbered_choices_and_links() -> None:
    body = content(VIEW)
    assert body["body"].endswith("1. ✅ J’accepte\n2. Je refuse\nSite: https://x.fr")
    assert "<ol><li>✅ J’accepte</li><li>Je refuse</li></ol>" in body["formatted_body"]
    assert '<a href="https://x.fr">Site</a>' in body["formatted_body"]
    assert body[CHOICES_KEY] == ["c:yes", "c:no"]


def test_telegram_html_becomes_matrix_html() -> None:
    assert matrix_html("a\nb") == "a<br>b"
    assert matrix_html("<tg-spoiler>x</tg-spoiler>") == "<span data-mx-spoiler>x</span>"
    assert matrix_html('<tg-emoji emoji-id="1">👍</tg-emoji>') == "👍"


def test_commands_the_bot_names_read_as_members_type_them_on_matrix() -> None:
    assert bang_commands("Tapez /aide ou /menu.") == "Tapez !aide ou !menu."
    assert bang_commands("(/passer) et/ou 1/2") == "(!passer) et/ou 1/2"
    kept = '<a href="https://t.me/x/start">lien</a> <b>gras</b></b>'
    assert bang_commands(kept) == kept
    body = content({"text": "Tapez /aide", "html": "Tapez <b>/aide</b>", "buttons": []})
    assert (body["body"], body["formatted_body"]) == ("Tapez !aide", "Tapez <b>!aide</b>")


def test_a_plain_message_escapes_its_text() -> None:
    body = content({"text": "<b>Mallory</b>", "html": None, "buttons": []})
    assert body["formatted_body"] == "&lt;b&gt;Mallory&lt;/b&gt;"
    assert body[CHOICES_KEY] == []


def test_an_edit_replaces_the_original_event() -> None:
    edit = replacement(VIEW, "$original")
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$original"}
    assert edit["body"].startswith("* ")
    assert edit["m.new_content"][CHOICES_KEY] == ["c:yes", "c:no"]


def test_a_number_presses_a_choice_of_the_last_bot_message_only() -> None:
    assert press("2", VIEW) is not None and press(" 2. ", VIEW).data == "c:no"
    assert press("3", VIEW) is None  # the link is not a choice
    assert press("0", VIEW) is None
    assert press("2 chats", VIEW) is None
    assert press("1", None) is None


def test_a_label_that_is_the_text_wins_and_numbers_outside_are_counted() -> None:
    sizes = {
        "message_id": 3,
        "buttons": [[{"text": str(n), "callback_data": f"s:{n}"} for n in range(4, 9)]],
    }
    assert press("6", sizes).data == "s:6"  # "6" means six, not the sixth choice
    assert press("2", sizes).data == "s:5"
    assert out_of_range("9", sizes) == 5
    assert out_of_range("6", sizes) is None
    assert out_of_range("merci", sizes) is None
    assert out_of_range("7", VIEW) == 2
    assert out_of_range("7", None) is None


def test_bang_commands_reach_the_command_handlers() -> None:
    assert as_text("!start") == "/start"
    assert as_text("  !aide ") == "/aide"
    assert as_text("! pas une commande") == "! pas une commande"
    assert as_text("Bonjour !") == "Bonjour !"


def test_a_pasted_invitation_link_is_the_start_it_would_send() -> None:
    assert as_text(" https://t.me/maillage_bot?start=codev-aB_3 ") == "/start codev-aB_3"
    assert (
        as_text("voir https://t.me/maillage_bot?start=x")
        == "voir https://t.me/maillage_bot?start=x"
    )
