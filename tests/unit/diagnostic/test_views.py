from zoneinfo import ZoneInfo

from bot.clock import FrozenClock
from bot.domain.diagnostic.model import Participation
from bot.i18n import Catalogs, Translator
from bot.services import Services
from conversations.diagnostic.results_view import pack, results_messages
from tests.unit.diagnostic.conftest import answer_satisfaction, launch

FRENCH = Translator(Catalogs(), "fr", ZoneInfo("Europe/Paris"))


def test_long_results_are_split_between_lines_under_the_limit() -> None:
    lines = [f"<b>ligne {i}</b> " + "x" * 90 for i in range(200)]
    messages = pack(lines, limit=3800)
    assert len(messages) > 1 and all(len(m) <= 3800 for m in messages)
    assert "\n".join(messages).split("\n") == lines


async def test_free_texts_are_for_animators_only(network: Services, clock: FrozenClock):
    campaign = await launch(network, clock)
    for user_id in range(1, 6):
        await answer_satisfaction(network, campaign, user_id, 5, f"<i>idée</i> {user_id}")
    results = await network.diagnostics.results(campaign)
    participation = Participation(6, 5, 0)
    private = "\n".join(
        results_messages(FRENCH, campaign, results, participation, None, private=True)
    )
    public = "\n".join(
        results_messages(FRENCH, campaign, results, participation, None, private=False)
    )
    assert "5 réponses libres, dans le désordre" in private
    assert "« &lt;i&gt;idée&lt;/i&gt; 3 »" in private
    assert "idée" not in public
    assert "5 réponses libres, réservées à l’équipe d’animation." in public
    assert "Moyenne 5,0/5 · 5 réponse(s) · 1 : 0 · 2 : 0 · 3 : 0 · 4 : 0 · 5 : 5" in public
