"""A terminal chat with the bot, playing simulated members one at a time (``make demo``).

Plain text is sent as the current persona; a bare number taps that button of the latest
message with buttons; ``:as NAME`` switches persona (and shows what they missed); ``:who``,
``:say TEXT``, ``:sticker``, ``:photo``, ``:vote N..``, ``:block``, ``:unblock``, ``:help``,
``:quit``.  Works with a real terminal and with piped input (end of input = ``:quit``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.sandbox.chatlog import Event
from bot.sandbox.client import RemoteUser, SandboxClient
from bot.sandbox.errors import SandboxError

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "welcome": "Console du bac à sable. Tapez :help pour l'aide.",
        "help": (
            "Texte : envoyé au bot par la personne jouée.\n"
            "N : appuie sur le bouton N du dernier message à boutons.\n"
            ":as NOM|N  jouer une autre personne (et voir ce qu'elle a manqué)\n"
            ":who  liste des personnes et messages non lus\n"
            ":say TEXTE  envoyer le texte tel quel (par ex. un nombre)\n"
            ":sticker  :photo  envoyer un autocollant, une photo\n"
            ":vote N [N...]  répondre au dernier sondage (options numérotées)\n"
            ":block  :unblock  bloquer, débloquer le bot\n"
            ":help  cette aide    :quit  quitter"
        ),
        "now_playing": "Vous jouez {name} ({role}).",
        "who_line": "{marker} {index}. {name} ({role}) : {unread} non lu(s)",
        "bot_says": "── bot → {name} ──",
        "edited": "(modifié) ",
        "buttons_changed": "(boutons modifiés)",
        "deleted": "(message {id} supprimé)",
        "toast": "[notification] {text}",
        "alert": "[alerte] {text}",
        "file_saved": "[fichier] {path}",
        "poll": "[sondage] {question}",
        "link": "[lien] {url}",
        "no_buttons": "Aucun message avec des boutons.",
        "no_such_button": "Pas de bouton numéro {n}.",
        "no_poll": "Aucun sondage ouvert.",
        "unknown_persona": "Personne inconnue : {name}.",
        "unknown_command": "Commande inconnue : {command} (voir :help).",
        "refused": "Refusé : {reason}",
        "blocked": "{name} a bloqué le bot.",
        "unblocked": "{name} a débloqué le bot.",
        "bye": "Au revoir.",
    },
    "en": {
        "welcome": "Sandbox console. Type :help for help.",
        "help": (
            "Text: sent to the bot by the persona you play.\n"
            "N: taps button N of the latest message with buttons.\n"
            ":as NAME|N  play another persona (and see what they missed)\n"
            ":who  list personas and unread messages\n"
            ":say TEXT  send the text literally (e.g. a number)\n"
            ":sticker  :photo  send a sticker, a photo\n"
            ":vote N [N...]  answer the latest poll (numbered options)\n"
            ":block  :unblock  block, unblock the bot\n"
            ":help  this help    :quit  quit"
        ),
        "now_playing": "You are playing {name} ({role}).",
        "who_line": "{marker} {index}. {name} ({role}): {unread} unread",
        "bot_says": "── bot → {name} ──",
        "edited": "(edited) ",
        "buttons_changed": "(buttons changed)",
        "deleted": "(message {id} deleted)",
        "toast": "[notification] {text}",
        "alert": "[alert] {text}",
        "file_saved": "[file] {path}",
        "poll": "[poll] {question}",
        "link": "[link] {url}",
        "no_buttons": "No message with buttons.",
        "no_such_button": "There is no button number {n}.",
        "no_poll": "No open poll.",
        "unknown_persona": "Unknown persona: {name}.",
        "unknown_command": "Unknown command: {command} (see :help).",
        "refused": "Refused: {reason}",
        "blocked": "{name} blocked the bot.",
        "unblocked": "{name} unblocked the bot.",
        "bye": "Goodbye.",
    },
}


@dataclass(frozen=True, slots=True)
class Persona:
    """A member the player can impersonate."""

    user_id: int
    name: str
    language_code: str = "fr"
    role_label: str = ""


class Console:
    """The console's state: personas, the current one, what each has seen."""

    def __init__(
        self,
        client: SandboxClient,
        personas: list[Persona],
        files_dir: Path,
        stdin: TextIO,
        stdout: TextIO,
        lang: str,
        settle: float,
    ) -> None:
        if not personas:
            raise ValueError("the console needs at least one persona")
        self.client = client
        self.personas = personas
        self.users = [RemoteUser(client, p.user_id, p.name) for p in personas]
        self.current = 0
        self.files_dir = files_dir
        self.stdin = stdin
        self.stdout = stdout
        self.strings = STRINGS.get(lang, STRINGS["en"])
        self.settle = settle
        self.printing = asyncio.Lock()

    def say(self, key: str, **values: Any) -> None:
        """Print one catalog string."""
        self.write(self.strings[key].format(**values))

    def write(self, text: str) -> None:
        """Print a line and flush."""
        self.stdout.write(text + "\n")
        self.stdout.flush()

    @property
    def user(self) -> RemoteUser:
        """The member being played."""
        return self.users[self.current]

    async def prepare(self) -> None:
        """Create the personas the sandbox does not know yet."""
        known = {user["id"] for user in await self.client.users()}
        for persona in self.personas:
            if persona.user_id not in known:
                await self.client.add_user(
                    persona.user_id, persona.name, language_code=persona.language_code
                )

    async def run(self) -> None:
        """Read and execute lines until ``:quit`` or end of input."""
        await self.prepare()
        self.say("welcome")
        self.announce_persona()
        watcher = asyncio.create_task(self.watch())
        try:
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, self.stdin.readline)
                if not line or line.strip() in (":quit", ":q"):
                    break
                try:
                    await self.execute(line.strip())
                except SandboxError as exc:
                    self.say("refused", reason=exc)
                await self.settle_down()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        self.say("bye")

    def announce_persona(self) -> None:
        """Say who is being played."""
        persona = self.personas[self.current]
        self.say("now_playing", name=persona.name, role=persona.role_label or "-")

    async def watch(self) -> None:
        """Print the current persona's bot events as they arrive."""
        while True:
            user = self.user
            if await user.wait(5.0) and user is self.user:
                await self.show_unread(user)

    async def settle_down(self) -> None:
        """After an action, wait until the bot has been quiet for ``settle`` seconds."""
        user = self.user
        for _ in range(int(10 / self.settle) if self.settle > 0 else 0):
            if not await user.wait(self.settle):
                break
        await self.show_unread(user)

    async def show_unread(self, user: RemoteUser) -> None:
        """Print the bot events after the user's cursor and move the cursor past them."""
        async with self.printing:
            unread = user.unread()
            if not unread:
                return
            user.cursor = unread[-1]["seq"]
            self.say("bot_says", name=user.name)
            for event in unread:
                await self.show(event)

    async def show(self, event: Event) -> None:
        """Print one bot event (saving files into ``files_dir``)."""
        kind = event["kind"]
        if kind == "toast":
            self.say("alert" if event.get("show_alert") else "toast", text=event["text"])
            return
        message = event["message"]
        if kind == "delete":
            self.say("deleted", id=message["message_id"])
            return
        if kind == "markup":
            self.say("buttons_changed")
        elif message["kind"] in ("document", "photo"):
            self.say("file_saved", path=await self.save(message))
        elif message["kind"] == "poll":
            self.say("poll", question=message["poll"]["question"])
            for index, option in enumerate(message["poll"]["options"], 1):
                self.write(f"  ({index}) {option['text']}")
        if message["text"] and message["kind"] != "poll" and kind != "markup":
            self.write((self.strings["edited"] if kind == "edit" else "") + message["text"])
        self.show_buttons(message)

    def show_buttons(self, message: dict[str, Any]) -> None:
        """Print buttons numbered across rows: ``[1] Oui  [2] Non``."""
        number = 0
        for row in message["buttons"]:
            cells = []
            for button in row:
                number += 1
                cells.append(f"[{number}] {button['text']}")
            self.write("  " + "  ".join(cells))

    async def save(self, message: dict[str, Any]) -> Path:
        """Write a document or photo of ``message`` into ``files_dir``; return its path."""
        info = message[message["kind"]]
        data = await self.client.download(info["file_id"])
        extension = "png" if data.startswith(b"\x89PNG") else "jpg"
        name = info.get("file_name") or f"photo.{extension}"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / f"{message['chat_id']}-{message['message_id']}-{Path(name).name}"
        path.write_bytes(data)
        return path

    async def execute(self, line: str) -> None:
        """Run one input line."""
        if not line:
            return
        if line.isdigit():
            await self.press(int(line))
            return
        if not line.startswith(":"):
            await self.user.send(line)
            return
        command, _, argument = line[1:].partition(" ")
        argument = argument.strip()
        user = self.user
        if command == "say" and argument:
            await user.send(argument)
        elif command == "as":
            await self.switch(argument)
        elif command == "who":
            await self.who()
        elif command == "sticker":
            await user.send_sticker()
        elif command == "photo":
            await user.send_photo()
        elif command == "vote":
            await self.vote(argument)
        elif command in ("block", "unblock"):
            await (user.block() if command == "block" else user.unblock())
            self.say(f"{command}ed", name=user.name)
        elif command == "help":
            self.say("help")
        else:
            self.say("unknown_command", command=line)

    async def press(self, number: int) -> None:
        """Tap button ``number`` of the latest message with buttons."""
        user = self.user
        await user.sync()
        message = user.message_with_buttons()
        if message is None:
            self.say("no_buttons")
            return
        buttons = [button for row in message["buttons"] for button in row]
        if not 1 <= number <= len(buttons):
            self.say("no_such_button", n=number)
            return
        button = buttons[number - 1]
        if "callback_data" not in button:
            self.say("link", url=button.get("url", ""))
            return
        await user.tap_data(button["callback_data"], message["message_id"])

    async def vote(self, argument: str) -> None:
        """Answer the latest open poll with 1-based option numbers."""
        user = self.user
        await user.sync()
        polls = [
            m
            for m in user.messages().values()
            if m["kind"] == "poll" and not m["poll"]["is_closed"]
        ]
        if not polls:
            self.say("no_poll")
            return
        choices = [int(n) - 1 for n in argument.split() if n.isdigit()]
        await user.answer_poll(polls[-1], choices)

    async def switch(self, argument: str) -> None:
        """Play another persona, by name (prefix, case-insensitive) or 1-based number."""
        index = self.find(argument)
        if index is None:
            self.say("unknown_persona", name=argument)
            return
        self.current = index
        self.announce_persona()
        await self.user.sync()
        await self.show_unread(self.user)

    def find(self, argument: str) -> int | None:
        """The index of the persona designated by ``argument``."""
        if argument.isdigit() and 1 <= int(argument) <= len(self.personas):
            return int(argument) - 1
        wanted = argument.casefold()
        for index, persona in enumerate(self.personas):
            if persona.name.casefold().startswith(wanted) and wanted:
                return index
        return None

    async def who(self) -> None:
        """List personas with their unread counts."""
        for index, (persona, user) in enumerate(zip(self.personas, self.users, strict=True)):
            await user.sync()
            self.say(
                "who_line",
                marker="*" if index == self.current else " ",
                index=index + 1,
                name=persona.name,
                role=persona.role_label or "-",
                unread=len(user.unread()),
            )


async def run_console(
    control_url: str,
    personas: list[Persona],
    files_dir: Path,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    *,
    lang: str = "fr",
    settle: float = 0.3,
) -> None:
    """Run the interactive console against the sandbox at ``control_url`` until quit.

    ``lang`` (``fr``/``en``) picks the console's own strings; after each input the console
    waits until the bot has been quiet for ``settle`` seconds, so piped sessions are
    deterministic.
    """
    async with SandboxClient(control_url) as client:
        console = Console(client, personas, Path(files_dir), stdin, stdout, lang, settle)
        await console.run()
