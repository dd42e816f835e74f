"""The JSON control API under ``/_sandbox/``, for clients in other processes.

========  ===================================  ==============================================
verb      path                                 body / query -> answer
========  ===================================  ==============================================
GET       ``/``                                -> ``{api_url, file_url, token, bot}``
POST      ``/users``                           ``{user_id, first_name, last_name?, username?,
                                               language_code?, started?}`` -> user
GET       ``/users``                           -> ``{"users": [...]}``
POST      ``/groups``                          ``{title, members: [ids], bot_is_member?,
                                               chat_id?}`` -> ``{chat_id, title, members}``
POST      ``/users/{id}/{action}``             an action of :data:`~.actions.ACTIONS`
                                               (``send``, ``send_media``, ``tap``,
                                               ``answer_poll``, ``block``, ``unblock``) with
                                               its keyword arguments; ``data_b64`` for bytes
POST      ``/updates``                         any JSON object, queued verbatim as an update
                                               -> ``{"update_id": N}``
GET       ``/chats/{id}/events``               ``?after=SEQ&timeout=S`` (long poll, max 60 s)
                                               -> ``{"events": [...]}``
GET       ``/requests``                        ``?after=INDEX`` -> ``{"requests": [...]}``
GET       ``/files/{file_id}``                 -> the file's bytes
GET, PUT  ``/rate_limits``                     ``RateLimits`` fields -> the limits in force
GET       ``/stats``                           -> counters
========  ===================================  ==============================================

Refused actions answer 400 ``{"error": "..."}``; unknown users, chats or files 404.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.actions import ACTIONS
from bot.sandbox.errors import SandboxError
from bot.sandbox.ratelimit import RateLimits

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox

LONG_POLL_MAX = 60.0
_SANDBOX_KEY = web.AppKey("sandbox", object)


def _reply(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False))


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turn refused actions into 400 and unknown things into 404 JSON answers."""
    try:
        return await handler(request)
    except SandboxError as exc:
        status = 404 if str(exc).startswith("unknown") else 400
        return _reply({"error": str(exc)}, status)
    except (KeyError, TypeError, ValueError) as exc:
        return _reply({"error": f"bad request: {exc!r}"}, 400)


def _sandbox(request: web.Request) -> Sandbox:
    return request.app[_SANDBOX_KEY]  # type: ignore[return-value]


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise SandboxError("the body must be a JSON object")
    if "data_b64" in body:
        body["data"] = base64.b64decode(body.pop("data_b64"))
    return body


async def _info(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    return _reply(
        {
            "api_url": sandbox.api_url,
            "file_url": sandbox.file_url,
            "token": sandbox.token,
            "bot": sandbox.world.bot.to_api(),
        }
    )


async def _add_user(request: web.Request) -> web.Response:
    body = await _body(request)
    sandbox = _sandbox(request)
    user = sandbox.add_user(**body)
    return _reply(sandbox.world.user(user.user_id).to_dict())


async def _list_users(request: web.Request) -> web.Response:
    users = _sandbox(request).world.users.values()
    return _reply({"users": [user.to_dict() for user in users]})


async def _add_group(request: web.Request) -> web.Response:
    body = await _body(request)
    group = _sandbox(request).add_group(**body)
    chat = group.world.chat(group.chat_id)
    return _reply({"chat_id": chat.id, "title": chat.title, "members": chat.member_ids})


async def _act(request: web.Request) -> web.Response:
    action = ACTIONS.get(request.match_info["action"])
    if action is None:
        raise SandboxError(f"unknown action {request.match_info['action']!r}")
    body = await _body(request)
    world = _sandbox(request).world
    return _reply(action(world, int(request.match_info["user_id"]), **body))


async def _inject(request: web.Request) -> web.Response:
    body = await request.json()
    if not isinstance(body, dict):
        raise SandboxError("the body must be a JSON object")
    return _reply({"update_id": _sandbox(request).inject_update(body)})


async def _events(request: web.Request) -> web.Response:
    log = _sandbox(request).world.chat(int(request.match_info["chat_id"])).log
    after = int(request.query.get("after", "0"))
    timeout = min(float(request.query.get("timeout", "0")), LONG_POLL_MAX)
    await log.wait_beyond(after, timeout)
    return _reply({"events": log.events[after:]})


async def _requests(request: web.Request) -> web.Response:
    after = int(request.query.get("after", "0"))
    recorded = _sandbox(request).requests[after:]
    return _reply({"requests": [entry.to_dict() for entry in recorded]})


async def _file(request: web.Request) -> web.Response:
    stored = _sandbox(request).world.files.by_id(request.match_info["file_id"])
    if stored is None:
        raise SandboxError(f"unknown file {request.match_info['file_id']}")
    return web.Response(
        body=stored.data, content_type=stored.mime_type or "application/octet-stream"
    )


async def _rate_limits(request: web.Request) -> web.Response:
    sandbox = _sandbox(request)
    if request.method == "PUT":
        sandbox.rate_limits = RateLimits(**await _body(request))
    return _reply(sandbox.rate_limits.as_dict())


async def _stats(request: web.Request) -> web.Response:
    return _reply(_sandbox(request).stats.as_dict())


def control_routes(sandbox: Sandbox) -> web.Application:
    """The control sub-application bound to ``sandbox``."""
    app = web.Application(middlewares=[_errors])
    app[_SANDBOX_KEY] = sandbox
    app.router.add_get("/", _info)
    app.router.add_post("/users", _add_user)
    app.router.add_get("/users", _list_users)
    app.router.add_post("/groups", _add_group)
    app.router.add_post("/users/{user_id}/{action}", _act)
    app.router.add_post("/updates", _inject)
    app.router.add_get("/chats/{chat_id}/events", _events)
    app.router.add_get("/requests", _requests)
    app.router.add_get("/files/{file_id}", _file)
    app.router.add_route("GET", "/rate_limits", _rate_limits)
    app.router.add_route("PUT", "/rate_limits", _rate_limits)
    app.router.add_get("/stats", _stats)
    return app
