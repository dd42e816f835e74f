"""/projets (/projects): a member's projects, projects to join, a project's card."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.projects import Project
from bot.i18n import Translator
from conversations.common import keyboard, member_only, replace_with, say, unpack_press
from conversations.projects import views
from conversations.visio.replies import fields, pressed_row
from schedules.projects.buttons import MENU, VIEW

PROJECTS_COMMANDS = ["projets", "projects"]
BROWSE_LIMIT = 30


async def home(context: MaillageContext, member: Member, t: Translator) -> tuple[str, views.Rows]:
    """The member's projects and what they can do."""
    mine = await context.services.projects.mine(member.user_id)
    rows = views.list_rows(mine[:BROWSE_LIMIT])
    rows.append([(t("projects.button.propose"), MENU.pack(item="propose"))])
    rows.append([(t("projects.button.browse"), MENU.pack(item="browse"))])
    if member.has_role(Role.ANIMATOR):
        rows.append(
            [
                (t("projects.button.portfolio"), MENU.pack(item="portfolio")),
                (t("projects.button.ideas"), MENU.pack(item="ideas")),
            ]
        )
    text = views.lines(
        t("projects.home.title"),
        t("projects.home.intro"),
        t("projects.home.mine") if mine else t("projects.home.none"),
    )
    return text, rows


@member_only()
async def projects_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/projets: the member's projects and the ways in."""
    text, rows = await home(context, member, t)
    await say(update, text, keyboard(rows))


async def card(
    context: MaillageContext, member: Member, t: Translator, project: Project
) -> tuple[str, views.Rows]:
    """A project's card and the viewer's buttons."""
    services = context.services
    holder = await services.members.get(project.holder_id) if project.holder_id else None
    notes = await services.projects.team.notes(project.id)
    joined = member.user_id in await services.projects.team.contributors(project.id)
    text = views.card_text(
        t, services.projects, project, holder.display_name if holder else None, notes
    )
    return text, views.card_rows(t, project, member, joined)


@member_only()
async def on_view(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A project's button: its card in place of the list."""
    pressed = await pressed_row(update, t, VIEW, "project", context.services.projects.get)
    if pressed is None:
        return
    await replace_with(update, *await card(context, member, t, pressed[1]))


async def browse(context: MaillageContext, member: Member, t: Translator) -> tuple[str, views.Rows]:
    """Carried projects the member may join (neither theirs nor joined yet)."""
    services = context.services
    mine = {p.id for p in await services.projects.mine(member.user_id)}
    others = [p for p in await services.projects.carried() if p.id not in mine and p.is_open]
    rows = views.list_rows(others[:BROWSE_LIMIT])
    rows.append([(t("projects.button.home"), MENU.pack(item="home"))])
    text = t("projects.browse.title") if others else t("projects.browse.none")
    return str(text), rows


@member_only()
async def on_menu(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """The home buttons (proposing is the conversation's; the animators' are in ``portfolio``)."""
    values = await unpack_press(update, t, MENU, fields(item=("home", "browse")))
    if values is None:
        return
    show = home if values["item"] == "home" else browse
    await replace_with(update, *await show(context, member, t))


def build() -> list[BaseHandler]:
    """The /projets command, its menu and the project cards."""
    return [
        CommandHandler(PROJECTS_COMMANDS, projects_command),
        CallbackQueryHandler(on_view, pattern=VIEW.pattern),
        CallbackQueryHandler(on_menu, pattern=MENU.pattern),
    ]
