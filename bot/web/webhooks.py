"""The Webex webhooks (new messages, card submissions, the bot added to a space): signed, queued once, answered
in the background."""
from __future__ import annotations

import json
import logging
from typing import Any, NoReturn

from flask import Blueprint, Response, abort, jsonify, make_response, request

from ..chat.access import is_bot_email
from ..chat.registration import ACTIONS_PATH, MEMBERSHIPS_PATH, MESSAGES_PATH
from ..chat.signature import HEADER, verify
from .runtime import Runtime, runtime

log = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 256 * 1024
blueprint = Blueprint("webhooks", __name__)


def _stop(code: int, **body: str) -> NoReturn:
    """End the request with a JSON body (abort, so the views read straight through)."""
    abort(make_response(jsonify(**body), code))


def _created_event(resource: str) -> tuple[Runtime, dict[str, Any], str, str]:
    """The runtime, data, id and actor of a signed "created" event on `resource`; anything else ends the
    request."""
    rt = runtime()
    if rt.config.local_mode or rt.worker is None:
        _stop(404, error="local mode: set WEBEX_ACCESS_TOKEN to receive webhooks")
    if (request.content_length or 0) > MAX_WEBHOOK_BYTES:
        _stop(413, error="too large")
    body = request.get_data(cache=False)
    if not verify(body, rt.config.webhook_secret, request.headers.get(HEADER)):
        log.warning("webhook with a missing or wrong signature from %s refused", request.remote_addr)
        _stop(403, error="bad signature")
    try:
        payload = json.loads(body)
    except ValueError:
        _stop(400, error="not JSON")
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        _stop(400, error="no data")
    data = payload["data"]
    item_id = data.get("id")
    if payload.get("resource") != resource or payload.get("event") != "created" or not isinstance(item_id, str):
        _stop(200, status="ignored")
    return rt, data, item_id, str(payload.get("actorId") or "")


def _queue(rt: Runtime, job_id: str, kind: str, item_id: str, room_id: str,
           **extra: str) -> tuple[Response, int]:
    """Insert the job once (a duplicate delivery finds it) and hand it to this instance's worker."""
    assert rt.worker is not None
    if rt.storage.enqueue(job_id, kind, {"id": item_id, "roomId": room_id, **extra}):
        rt.worker.submit(job_id)
        return jsonify(status="queued"), 200
    return jsonify(status="duplicate"), 200


@blueprint.post(MESSAGES_PATH)
def message_webhook() -> tuple[Response, int]:
    rt, data, message_id, _ = _created_event("messages")
    assert rt.worker is not None
    person_id, email, room_id = (str(data.get(k, "")) for k in ("personId", "personEmail", "roomId"))
    if is_bot_email(email) or (rt.bot_id and person_id == rt.bot_id):
        return jsonify(status="ignored", reason="bot"), 200
    if not rt.access.allows(person_id, email, room_id):
        if rt.access.should_refuse(person_id, room_id):
            rt.worker.submit_refusal(room_id, str(data.get("parentId") or message_id))
        return jsonify(status="refused"), 200
    return _queue(rt, f"message:{message_id}", "message", message_id, room_id)


@blueprint.post(ACTIONS_PATH)
def action_webhook() -> tuple[Response, int]:
    rt, data, action_id, _ = _created_event("attachmentActions")
    person_id, room_id = str(data.get("personId", "")), str(data.get("roomId", ""))
    if rt.bot_id and person_id == rt.bot_id:
        return jsonify(status="ignored", reason="bot"), 200
    if not rt.access.needs_email and not rt.access.allows(person_id, "", room_id):
        return jsonify(status="refused"), 200
    return _queue(rt, f"action:{action_id}", "action", action_id, room_id)


@blueprint.post(MEMBERSHIPS_PATH)
def membership_webhook() -> tuple[Response, int]:
    """Someone joined a space the bot is in; only the bot itself joining a space is worth a job (a greeting)."""
    rt, data, membership_id, actor = _created_event("memberships")
    person_id, room_id = str(data.get("personId", "")), str(data.get("roomId", ""))
    if rt.bot_id and person_id != rt.bot_id:
        return jsonify(status="ignored", reason="not the bot"), 200
    return _queue(rt, f"membership:{membership_id}", "membership", membership_id, room_id, personId=person_id,
                  actorId=actor, roomType=str(data.get("roomType", "")))
