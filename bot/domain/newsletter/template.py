"""Jinja2 templates of newsletters and reminders: autoescaped, strict, sandboxed, line-precise.

A broadcast is rendered from ``<kind>.<language>.html.j2``, looked up first in the network's
own folder (``templates/newsletter/`` next to the database) and then among the shipped ones.
The animator's typed text is itself a small template (it may use the same variables, e.g.
``{{ network }}``). Every value is HTML-escaped; an unknown variable is an error, not an
empty string; and any failure names the template and its line (``NewsletterError`` with
code ``template``), so that nothing broken is ever sent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from bot.domain.newsletter.model import NewsletterError

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "templates" / "newsletter"
NETWORK_DIR_NAME = "templates/newsletter"
TEXT_SOURCE = "text"
"""The name under which errors in the animator's own text are reported."""
_TEXT_FILENAME = "<template>"
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def template_dirs(db_path: Path) -> list[Path]:
    """Where templates are read: the network's own folder first, then the shipped ones."""
    return [db_path.resolve().parent / NETWORK_DIR_NAME, BUILTIN_DIR]


def template_name(kind: str, language: str) -> str:
    """The file name of a kind of broadcast in one language."""
    return f"{kind}.{language}.html.j2"


class LetterTemplates:
    """Renders broadcast templates and the animators' texts."""

    def __init__(self, dirs: Sequence[Path]) -> None:
        self._env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(directory) for directory in dirs]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
        self._compile = lru_cache(maxsize=32)(self._env.from_string)

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template ``name`` rendered with ``context``, or NewsletterError."""
        try:
            template = self._env.get_template(name)
        except TemplateSyntaxError as error:
            raise _failure(name, error.lineno, error) from error
        except TemplateError as error:
            raise NewsletterError("template_missing", source=name) from error
        return _run(name, template.filename or name, lambda: template.render(context))

    def render_text(self, source: str, context: Mapping[str, Any]) -> Markup:
        """The animator's text (already HTML) with its variables filled, or NewsletterError.

        Telegram's HTML of the typed text escapes quotes and ``<``/``>``; inside ``{{ }}`` and
        ``{% %}`` they are template code, so they are read back as typed.
        """
        try:
            template = self._compile(_TEMPLATE_CODE.sub(lambda m: html.unescape(m[0]), source))
        except TemplateSyntaxError as error:
            raise _failure(TEXT_SOURCE, error.lineno, error) from error
        return Markup(_run(TEXT_SOURCE, _TEXT_FILENAME, lambda: template.render(context)))


def _run(source: str, filename: str, render: Any) -> str:
    """Call ``render``; turn any failure into an error naming the template's line."""
    try:
        return str(render())
    except Exception as error:  # any template code may fail; the animator must see where
        raise _failure(source, _template_line(error.__traceback__, filename), error) from error


def _template_line(trace: TracebackType | None, filename: str) -> int | None:
    """The deepest line of the template in a traceback (Jinja maps frames to its lines)."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == filename:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _failure(source: str, line: int | None, error: Exception) -> NewsletterError:
    """The refusal shown to the animator: which template, which line, what went wrong."""
    message = error.message if isinstance(error, TemplateError) and error.message else str(error)
    undefined = _UNDEFINED.match(message) if isinstance(error, UndefinedError) else None
    if undefined:
        return NewsletterError("template_unknown", source=source, line=line, name=undefined[1])
    return NewsletterError("template", source=source, line=line, detail=message)
