"""Contributors join (within the holder's limit), follow the news, and hear of milestones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.projects.helpers import answer, propose

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    """A Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


async def open_project(user: SimUser, title: str) -> None:
    """The member opens a project's card from the projects to join."""
    await answer(user, "/projets", "Projets stratégiques")
    await user.tap("🔎 Projets à rejoindre")
    await user.expect("Projets à rejoindre")
    await user.tap(f"📌 {title}")
    await user.expect("Porté par")


async def test_members_join_within_the_limit_and_leave(clocked_network: Network) -> None:
    network = clocked_network
    alice = await network.member("Alice")
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    david = await network.member("David")
    await propose(alice, "Accueil numérique")
    await alice.tap("📌 Voir le projet")
    await alice.expect("0 contributeur·rice")
    await alice.tap("👥 Limite")
    await alice.expect("Combien de contributeur·rices au plus")
    await answer(alice, "beaucoup", "Tapez un nombre entre 0 et 200.")
    await answer(alice, "2", "2 contributeur·rices au plus")

    await open_project(bruno, "Accueil numérique")
    await bruno.tap("🤝 Rejoindre le projet")
    joined = await bruno.expect("1 contributeur·rice sur 2 places")
    assert any("🚪 Quitter le projet" in row for row in bruno.buttons())
    await network.run_due()  # the send armed on the frozen clock
    await alice.expect("Bruno rejoint le projet « Accueil numérique »")
    await open_project(chloe, "Accueil numérique")
    await chloe.tap("🤝 Rejoindre le projet")
    await chloe.expect("2 contributeur·rices sur 2 places")
    await open_project(david, "Accueil numérique")
    await david.tap("🤝 Rejoindre le projet")
    full = await david.expect("Ce projet est complet")
    assert full["show_alert"] and "Accueil numérique" in joined["text"]
    audited = [(e.action, e.allowed) for e in await network.services.audit.for_user(david.user_id)]
    assert audited == [("projects_join", False)]

    await bruno.tap("🚪 Quitter le projet")
    await bruno.expect("1 contributeur·rice sur 2 places")
    assert await network.services.projects.mine(bruno.user_id) == []
    await david.tap("🤝 Rejoindre le projet")  # the same button, a place free now
    await david.expect("2 contributeur·rices sur 2 places")


async def test_news_and_milestones_reach_contributors_once(clocked_network: Network) -> None:
    network = clocked_network
    projects = network.services.projects
    alice = await network.member("Alice")
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    await propose(alice, "Accueil numérique")
    [project] = await projects.mine(alice.user_id)
    for member in (bruno, chloe):
        await projects.team.join(member.user_id, project.id)
    await network.services.deliveries.preferences.set_opted_out(chloe.user_id, "projects", True)
    await alice.tap("📌 Voir le projet")
    await alice.expect("2 contributeur·rices")
    await alice.tap("📝 Nouvelle")
    await alice.expect("Quelle nouvelle voulez-vous partager")
    await alice.send_sticker()
    await alice.expect("Merci de répondre par un message texte.")
    await answer(alice, "n" * 1001, "C’est trop long : 1000 caractères au maximum.")
    await answer(alice, "Premier atelier <b>fait</b> !", "envoyée à 2 personnes")
    await network.run_due()  # the send armed on the frozen clock
    news = await bruno.expect("Nouvelles du projet « Accueil numérique »")
    assert "Premier atelier <b>fait</b> !" in news["text"]
    await chloe.expect_nothing()  # opted out of project news

    await answer(alice, "/projets", "Vos projets")
    await alice.tap("📌 Accueil numérique")
    await alice.expect("Premier atelier")
    await alice.tap("📅 Jalon")
    await alice.expect("Quel jalon")
    await answer(alice, "Atelier avec les usagers", "À quelle date ?")
    await answer(alice, "01/03/2030", "Le vendredi 1 mars 2030 est déjà passé")  # asked again
    await answer(alice, "15/03/2030", "Jalon enregistré pour le vendredi 15 mars 2030 à 9 h 00")
    await network.run_due()
    await bruno.expect("Nouveau jalon pour « Accueil numérique »")
    await network.reach(paris(2030, 3, 13, 8, 30))
    await bruno.expect_nothing()
    await network.restart()  # the reminder's due time is read back from the database
    await network.reach(paris(2030, 3, 13, 9, 1))
    soon = await bruno.expect("Bientôt, le vendredi 15 mars 2030")
    assert "Atelier avec les usagers" in soon["text"]
    await alice.expect("Bientôt")
    await chloe.expect_nothing()
    await network.reach(paris(2030, 3, 14, 9))
    await bruno.expect_nothing()  # reminded once
