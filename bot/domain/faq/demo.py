"""The demo network's FAQ, drawn from the source documents (the ADRETS wiki, the toolbox)."""

from __future__ import annotations

from bot.domain.faq.model import Version
from bot.domain.faq.service import FaqService

DEMO_FAQ: tuple[tuple[str, tuple[tuple[Version, Version], ...]], ...] = (
    (
        "Le réseau | The network",
        (
            (
                Version(
                    "Qu’est-ce que le réseau ?",
                    "Un collectif régional de <b>80 maisons France Services</b> animé par une "
                    "équipe de 6 personnes : liste de discussion, lettre d’information, visios "
                    "mensuelles, échanges de pratiques et une assemblée générale par an.",
                ),
                Version(
                    "What is the network?",
                    "A regional collective of <b>80 France Services houses</b> run by a team of "
                    "6 people: a discussion list, a newsletter, monthly video sessions, exchange "
                    "of practices and a general assembly once a year.",
                ),
            ),
            (
                Version(
                    "Quelle place par rapport à la plateforme nationale ?",
                    "La plateforme nationale apporte la visibilité, un annuaire et des groupes de "
                    "travail ; le réseau régional garde l’animation et le côté humain. Nous "
                    "faisons remonter vos contenus vers le national pour éviter les doublons.",
                ),
                Version(
                    "How does it fit with the national platform?",
                    "The national platform brings visibility, a directory and working groups; "
                    "the regional network keeps the animation and the human side. We pass your "
                    "content up to the national level to avoid duplicates.",
                ),
            ),
        ),
    ),
    (
        "Visios mensuelles | Monthly video sessions",
        (
            (
                Version(
                    "Comment se passe la visio mensuelle ?",
                    "Deux heures par mois sur <b>une thématique précise choisie par vote</b>. "
                    "Proposez un sujet avec /proposer, votez et inscrivez-vous dans /visio.",
                ),
                Version(
                    "How does the monthly video session work?",
                    "Two hours a month on <b>one precise theme chosen by vote</b>. Suggest a "
                    "topic with /propose, vote and say whether you come in /visio.",
                ),
            ),
            (
                Version(
                    "Je n’ai pas pu venir : que faire ?",
                    "Le compte rendu est envoyé après la séance ; posez vos questions à "
                    "l’équipe avec ✉️ dans /faq.",
                ),
                Version(
                    "I could not attend: what now?",
                    "The report is sent after the session; ask the team your questions with "
                    "✉️ in /faq.",
                ),
            ),
        ),
    ),
    (
        "Codéveloppement | Co-development",
        (
            (
                Version(
                    "Comment rejoindre un groupe de codéveloppement ?",
                    "Demandez un lien d’invitation à la facilitation d’un groupe, puis ouvrez "
                    "/codev. Un groupe réunit environ 8 pairs autour de la méthode Payette et "
                    "Champagne.",
                ),
                Version(
                    "How do I join a co-development group?",
                    "Ask a group’s facilitator for an invitation link, then open /codev. A group "
                    "brings about 8 peers together on the Payette and Champagne method.",
                ),
            ),
            (
                Version(
                    "Comment se déroule une séance ?",
                    "En six étapes guidées : exposé du cas, questions de clarification, contrat, "
                    "consultation, plan d’action, apprentissages. Ce qui se dit reste dans le "
                    "groupe.",
                ),
                Version(
                    "How does a session go?",
                    "In six guided steps: the case, clarifying questions, the contract, "
                    "consultation, the action plan, learnings. What is said stays in the group.",
                ),
            ),
        ),
    ),
    (
        "Boîte à outils | Toolbox",
        (
            (
                Version(
                    "Qu’est-ce que la boîte à outils d’animation des réseaux ?",
                    "Le guide du ministère « animation et remise en dynamique des réseaux » : "
                    "<b>trois phases en huit étapes</b> (diagnostiquer, identifier les projets "
                    "stratégiques, analyser l’impact de la démarche).",
                ),
                Version(
                    "What is the network animation toolbox?",
                    "The ministry’s guide to animating and reviving networks: <b>three phases "
                    "in eight steps</b> (diagnose, identify the strategic projects, analyse the "
                    "impact of the approach).",
                ),
            ),
            (
                Version(
                    "Comment le réseau mesure-t-il son fonctionnement ?",
                    "Par les questionnaires de /diagnostic, repassés plus tard pour comparer "
                    "avant et après ; les résultats sont publiés aux membres.",
                ),
                Version(
                    "How does the network measure how it works?",
                    "With the /diagnostic questionnaires, run again later to compare before and "
                    "after; the results are published to the members.",
                ),
            ),
        ),
    ),
)


async def seed_demo_faq(faq: FaqService) -> int:
    """Add the demo themes and entries to an empty FAQ; return how many entries were added."""
    if await faq.entries.count():
        return 0
    added = 0
    for theme_name, entries in DEMO_FAQ:
        theme = await faq.add_theme(theme_name)
        for french, english in entries:
            await faq.add_entry(theme.id, french, english)
            added += 1
    return added
