"""A local fake of the Webex REST API, real HTTP on loopback, for tests and the load benchmark.

It implements what the bot uses, as Webex documents it: `people/me`, `people/{id}`, `rooms/{id}`,
`messages` (get, list, create with `parentId`, `markdown`, `files`, card `attachments`), `attachment/actions`,
memberships (made with `add_member`, delivered as webhooks with the adder as `actorId`),
`webhooks` (list, create, update, delete) and file `contents`, with the same checks the real service makes
that matter here (bearer token, 7,439-byte markdown limit, no reply to a reply, Adaptive Card version) and
failure injection: 429 with Retry-After, 5xx, 423 while a file is being scanned.

When webhooks are registered and `deliver` is on, every created message or card submission is POSTed,
signed with the webhook's secret, to its target URL, as Webex does (the bot's own messages included).

Control endpoints under `/_fake/` (no token) let another process seed messages and read what was posted;
`python tests/fake_webex.py --port N --token T` runs it standalone (the benchmark does).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import logging
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

BOT_EMAIL = "hcs-diag@webex.bot"
MAX_MARKDOWN_BYTES = 7439


def webex_id(kind: str) -> str:
    raw = f"ciscospark://us/{kind}/{uuid.uuid4()}".encode()
    return base64.b64encode(raw).decode().rstrip("=")


def bare_uuid(api_id: str) -> str:
    return base64.b64decode(api_id + "=" * (-len(api_id) % 4)).decode().rsplit("/", 1)[-1]


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


@dataclass
class Failure:
    method: str
    path: re.Pattern[str]
    status: int
    times: int
    retry_after: int | None = None
    every: int = 1               # fail every n-th matching request (spreads failures through a load)
    seen: int = 0


@dataclass
class StoredFile:
    name: str
    data: bytes
    scan_polls: int = 0          # this many GETs answer 423 before the file is available
    status: int = 200            # 410 (infected) or 428 (unscannable) to simulate those


@dataclass
class FakeState:
    token: str
    bot_id: str = field(default_factory=lambda: webex_id("PEOPLE"))
    bot_name: str = "HCS Diag"
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    rooms: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: dict[str, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[str, dict[str, Any]] = field(default_factory=dict)
    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    posted: list[str] = field(default_factory=list)       # ids of messages the bot created, in order
    deliveries: list[dict[str, Any]] = field(default_factory=list)


class FakeWebex:
    def __init__(self, token: str = "fake-bot-token", deliver: bool = True) -> None:
        self.state = FakeState(token=token)
        self.deliver = deliver
        self.lock = threading.RLock()
        self.app = self._build_app()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.port = 0
        s = self.state
        s.people[s.bot_id] = {"id": s.bot_id, "emails": [BOT_EMAIL], "displayName": s.bot_name,
                              "firstName": "HCS", "type": "bot"}
        self._delivery_session = requests.Session()

    # ------------------------------------------------------------ lifecycle
    def start(self, port: int = 0) -> FakeWebex:
        self._server = make_server("127.0.0.1", port, self.app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-webex", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self._delivery_session.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/"

    # ------------------------------------------------------------ test helpers
    def add_person(self, name: str, email: str) -> str:
        pid = webex_id("PEOPLE")
        with self.lock:
            self.state.people[pid] = {"id": pid, "emails": [email], "displayName": name,
                                      "firstName": name.split()[0], "type": "person"}
        return pid

    def add_room(self, title: str, room_type: str = "group") -> str:
        rid = webex_id("ROOM")
        with self.lock:
            self.state.rooms[rid] = {"id": rid, "title": title, "type": room_type}
        return rid

    def add_file(self, name: str, data: bytes, scan_polls: int = 0, status: int = 200) -> str:
        fid = webex_id("CONTENT")
        with self.lock:
            self.state.files[fid] = StoredFile(name, data, scan_polls, status)
        return f"{self.base_url}contents/{fid}"

    def fail(self, method: str, path: str, status: int, times: int = 1, retry_after: int | None = None,
             every: int = 1) -> None:
        """The next `times` requests whose path (after /v1/) matches the regex `path` get `status` (with
        `every`, only every n-th of them)."""
        with self.lock:
            self.state.failures.append(Failure(method.upper(), re.compile(path), status, times, retry_after,
                                               max(1, every)))

    def user_posts(self, person_id: str, room_id: str, text: str, *, parent_id: str | None = None,
                   mention: bool = True, files: list[str] | None = None, html: str | None = None) -> dict[str, Any]:
        """A person posts in a room (in a group room `mention` puts the bot's mention in front)."""
        with self.lock:
            room = self.state.rooms[room_id]
            person = self.state.people[person_id]
            msg: dict[str, Any] = {"id": webex_id("MESSAGE"), "roomId": room_id, "roomType": room["type"],
                                   "personId": person_id, "personEmail": person["emails"][0], "created": now_iso()}
            if room["type"] == "group" and mention:
                name = self.state.bot_name
                msg["text"] = f"{name} {text}"
                msg["html"] = (f'<p><spark-mention data-object-type="person" data-object-id="{self.state.bot_id}">'
                               f"{name}</spark-mention> {_escape(text)}</p>")
                msg["mentionedPeople"] = [self.state.bot_id]
            else:
                msg["text"] = text
            if html is not None:
                msg["html"] = html
            if parent_id:
                msg["parentId"] = parent_id
            if files:
                msg["files"] = files
            self.state.messages[msg["id"]] = msg
        self._deliver("messages", "created", msg)
        return msg

    def submit_card(self, person_id: str, card_message_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            card_msg = self.state.messages[card_message_id]
            action = {"id": webex_id("ATTACHMENT_ACTION"), "type": "submit", "messageId": card_message_id,
                      "inputs": inputs, "personId": person_id, "roomId": card_msg["roomId"], "created": now_iso()}
            self.state.actions[action["id"]] = action
        self._deliver("attachmentActions", "created", action)
        return action

    def add_member(self, room_id: str, person_id: str, actor_id: str) -> dict[str, Any]:
        """`actor_id` adds `person_id` (the bot, or anyone) to a room: a membership, delivered as Webex does."""
        with self.lock:
            room, person = self.state.rooms[room_id], self.state.people[person_id]
            membership = {"id": webex_id("MEMBERSHIP"), "roomId": room_id, "roomType": room["type"],
                          "personId": person_id, "personEmail": person["emails"][0],
                          "personDisplayName": person["displayName"], "isModerator": False, "created": now_iso()}
            self.state.memberships[membership["id"]] = membership
        self._deliver("memberships", "created", membership, actor=actor_id)
        return membership

    def webhook_payload(self, resource: str, event: str, obj: dict[str, Any],
                        actor: str | None = None) -> dict[str, Any]:
        data = {k: obj[k] for k in ("id", "roomId", "roomType", "personId", "personEmail", "mentionedPeople",
                                    "parentId", "created", "messageId", "type", "personDisplayName",
                                    "isModerator") if k in obj}
        return {"id": webex_id("WEBHOOK"), "name": "test", "resource": resource, "event": event,
                "orgId": "org", "createdBy": self.state.bot_id, "appId": "app", "ownedBy": "creator",
                "status": "active", "actorId": actor if actor is not None else obj.get("personId", ""),
                "data": data}

    def bot_messages(self, room_id: str | None = None, files: bool = False) -> list[dict[str, Any]]:
        """What the bot posted; messages carrying an uploaded file (the call ladders) only with `files`."""
        with self.lock:
            out = [self.state.messages[i] for i in self.state.posted]
        return [m for m in out if (room_id is None or m["roomId"] == room_id) and (files or not m.get("files"))]

    def wait_for_posts(self, count: int, timeout: float = 20.0, room_id: str | None = None) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            posts = self.bot_messages(room_id)
            if len(posts) >= count:
                return posts
            time.sleep(0.02)
        return self.bot_messages(room_id)

    # ------------------------------------------------------------ webhook delivery
    def _deliver(self, resource: str, event: str, obj: dict[str, Any], actor: str | None = None) -> None:
        if not self.deliver:
            return
        with self.lock:
            hooks = [h for h in self.state.webhooks.values()
                     if h["resource"] == resource and h["event"] == event and h["status"] == "active"]
        for hook in hooks:
            payload = self.webhook_payload(resource, event, obj, actor)
            payload["id"], payload["name"] = hook["id"], hook["name"]
            body = json.dumps(payload).encode()
            headers = {"Content-Type": "application/json"}
            if hook.get("secret"):
                headers["X-Spark-Signature"] = hmac.new(hook["secret"].encode(), body, hashlib.sha1).hexdigest()
            threading.Thread(target=self._post_hook, args=(hook["targetUrl"], body, headers), daemon=True).start()

    def _post_hook(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        try:
            resp = requests.post(url, data=body, headers=headers, timeout=10)
            status = resp.status_code
        except requests.RequestException as exc:
            status = f"error {type(exc).__name__}"
        with self.lock:
            self.state.deliveries.append({"url": url, "status": status})

    # ------------------------------------------------------------ the HTTP API
    def _build_app(self) -> Flask:
        app = Flask("fake_webex")
        fake = self

        def error(status: int, message: str, retry_after: int | None = None) -> Response:
            resp = jsonify(message=message, errors=[{"description": message}], trackingId=f"FAKE_{uuid.uuid4().hex}")
            resp.status_code = status
            if retry_after is not None:
                resp.headers["Retry-After"] = str(retry_after)
            return resp

        @app.before_request
        def gate() -> Response | None:
            path = request.path
            if path.startswith("/_fake/"):
                return None
            if not path.startswith("/v1/"):
                return error(404, "not found")
            if request.headers.get("Authorization") != f"Bearer {fake.state.token}":
                return error(401, "The request requires a valid access token set in the Authorization header.")
            sub = path[len("/v1/"):]
            with fake.lock:
                fake.state.calls[f"{request.method} {_route_name(sub)}"] += 1
                for failure in fake.state.failures:
                    if failure.times > 0 and failure.method == request.method and failure.path.search(sub):
                        failure.seen += 1
                        if failure.seen % failure.every:
                            continue
                        failure.times -= 1
                        return error(failure.status, f"injected {failure.status}", failure.retry_after)
            return None

        @app.get("/v1/people/me")
        def me() -> Response:
            return jsonify(fake.state.people[fake.state.bot_id])

        @app.get("/v1/people/<pid>")
        def person(pid: str) -> Response:
            with fake.lock:
                p = fake.state.people.get(pid)
            return jsonify(p) if p else error(404, "person not found")

        @app.get("/v1/rooms/<rid>")
        def room(rid: str) -> Response:
            with fake.lock:
                r = fake.state.rooms.get(rid)
            return jsonify(r) if r else error(404, "room not found")

        @app.get("/v1/messages/<mid>")
        def get_message(mid: str) -> Response:
            with fake.lock:
                m = fake.state.messages.get(mid)
            return jsonify(m) if m else error(404, "message not found")

        @app.get("/v1/messages")
        def list_messages() -> Response:
            room_id = request.args.get("roomId")
            parent = request.args.get("parentId")
            if not room_id:
                return error(400, "roomId is required")
            with fake.lock:
                items = [m for m in fake.state.messages.values() if m["roomId"] == room_id
                         and (parent is None or m.get("parentId") == parent)]
            items.sort(key=lambda m: m["created"], reverse=True)
            return jsonify(items=items[: int(request.args.get("max", 50))])

        @app.post("/v1/messages")
        def create_message() -> Response:
            upload = None
            if request.mimetype == "multipart/form-data":        # a local file, as the SDK uploads it
                body = {key: request.form[key] for key in request.form}
                upload = request.files.get("files")
                if upload is None or len(request.files.getlist("files")) != 1:
                    return error(400, "exactly one file required in a multipart message")
                body["files"] = [upload.filename or "file"]
            else:
                body = request.get_json(silent=True)
            if not isinstance(body, dict):
                return error(400, "JSON body required")
            room_id = body.get("roomId")
            markdown, text = body.get("markdown"), body.get("text")
            with fake.lock:
                room = fake.state.rooms.get(room_id or "")
                if room is None:
                    return error(404, "room not found")
                if not markdown and not text and not body.get("files"):
                    return error(400, "text, markdown or files required")
                if markdown and len(markdown.encode()) > MAX_MARKDOWN_BYTES:
                    return error(400, "Message too long: markdown exceeds 7439 bytes")
                parent_id = body.get("parentId")
                if parent_id:
                    parent = fake.state.messages.get(parent_id)
                    if parent is None or parent["roomId"] != room_id:
                        return error(400, "parent message not found in this room")
                    if parent.get("parentId"):
                        return error(400, "Cannot reply to a reply; use the thread's parent message")
                attachments = body.get("attachments")
                if attachments:
                    problem = _check_attachments(attachments)
                    if problem:
                        return error(400, problem)
                    if not markdown and not text:
                        return error(400, "a card needs text or markdown as fallback")
                msg = {"id": webex_id("MESSAGE"), "roomId": room_id, "roomType": room["type"],
                       "text": text or markdown or "", "personId": fake.state.bot_id, "personEmail": BOT_EMAIL,
                       "created": now_iso()}
                if markdown:
                    msg["markdown"] = markdown
                if parent_id:
                    msg["parentId"] = parent_id
                if attachments:
                    msg["attachments"] = attachments
                if upload is not None:
                    fid = webex_id("CONTENT")
                    fake.state.files[fid] = StoredFile(upload.filename or "file", upload.read())
                    msg["files"] = [f"{fake.base_url}contents/{fid}"]
                    msg["fileNames"] = [upload.filename or "file"]
                    msg["fileTypes"] = [upload.mimetype or ""]
                fake.state.messages[msg["id"]] = msg
                fake.state.posted.append(msg["id"])
            fake._deliver("messages", "created", msg)
            return jsonify(msg)

        @app.get("/v1/attachment/actions/<aid>")
        def get_action(aid: str) -> Response:
            with fake.lock:
                a = fake.state.actions.get(aid)
            return jsonify(a) if a else error(404, "attachment action not found")

        @app.get("/v1/webhooks")
        def list_webhooks() -> Response:
            with fake.lock:
                return jsonify(items=list(fake.state.webhooks.values()))

        @app.post("/v1/webhooks")
        def create_webhook() -> Response:
            body = request.get_json(silent=True) or {}
            for key in ("name", "targetUrl", "resource", "event"):
                if not body.get(key):
                    return error(400, f"{key} is required")
            hook = {"id": webex_id("WEBHOOK"), "name": body["name"], "targetUrl": body["targetUrl"],
                    "resource": body["resource"], "event": body["event"], "filter": body.get("filter"),
                    "secret": body.get("secret"), "status": "active", "created": now_iso()}
            with fake.lock:
                fake.state.webhooks[hook["id"]] = hook
            return jsonify(hook)

        @app.get("/v1/webhooks/<wid>")
        def get_webhook(wid: str) -> Response:
            with fake.lock:
                h = fake.state.webhooks.get(wid)
            return jsonify(h) if h else error(404, "webhook not found")

        @app.put("/v1/webhooks/<wid>")
        def update_webhook(wid: str) -> Response:
            body = request.get_json(silent=True) or {}
            with fake.lock:
                hook = fake.state.webhooks.get(wid)
                if hook is None:
                    return error(404, "webhook not found")
                if not body.get("name") or not body.get("targetUrl"):
                    return error(400, "name and targetUrl are required")
                hook.update({k: body[k] for k in ("name", "targetUrl", "secret", "status") if k in body})
                return jsonify(hook)

        @app.delete("/v1/webhooks/<wid>")
        def delete_webhook(wid: str) -> Response:
            with fake.lock:
                if fake.state.webhooks.pop(wid, None) is None:
                    return error(404, "webhook not found")
            return Response(status=204)

        @app.get("/v1/contents/<fid>")
        def contents(fid: str) -> Response:
            with fake.lock:
                f = fake.state.files.get(fid)
                if f is None:
                    return error(404, "file not found")
                if f.scan_polls > 0:
                    f.scan_polls -= request.method == "GET"   # a HEAD asks, it does not wait its turn
                    return error(423, "File is being scanned for malware", retry_after=1)
                if f.status != 200:
                    return error(f.status, "file is infected" if f.status == 410 else "file could not be scanned")
                data, name = f.data, f.name
            return Response(data, mimetype="application/octet-stream",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})

        # ---------------------------------------------------------------- control (other processes)
        @app.post("/_fake/setup")
        def setup() -> Response:
            body = request.get_json(silent=True) or {}
            person = fake.add_person(body.get("name", "Load Tester"), body.get("email", "tester@example.com"))
            room = fake.add_room(body.get("title", "Load test"), body.get("type", "direct"))
            return jsonify(personId=person, roomId=room, botId=fake.state.bot_id)

        @app.post("/_fake/seed")
        def seed() -> Response:
            body = request.get_json(silent=True) or {}
            texts = body.get("texts") or []
            count = int(body.get("count", len(texts)))
            saved, fake.deliver = fake.deliver, False
            try:
                ids = [fake.user_posts(body["personId"], body["roomId"], texts[i % len(texts)])["id"]
                       for i in range(count)]
            finally:
                fake.deliver = saved
            return jsonify(ids=ids)

        @app.post("/_fake/fail")
        def fail() -> Response:
            body = request.get_json(silent=True) or {}
            fake.fail(body["method"], body["path"], int(body["status"]), int(body.get("times", 1)),
                      body.get("retryAfter"), int(body.get("every", 1)))
            return jsonify(ok=True)

        @app.get("/_fake/stats")
        def stats() -> Response:
            with fake.lock:
                parents = Counter(fake.state.messages[i].get("parentId", "") for i in fake.state.posted)
                return jsonify(posted=len(fake.state.posted), calls=dict(fake.state.calls),
                               repliesByParent=dict(parents))

        @app.get("/_fake/replies")
        def replies() -> Response:
            """Per thread: one fingerprint per message the bot posted there (duplicates show as repeats)."""
            out: dict[str, list[str]] = {}
            with fake.lock:
                for i in fake.state.posted:
                    m = fake.state.messages[i]
                    digest = hashlib.sha1(m.get("markdown", m.get("text", "")).encode()).hexdigest()[:16]
                    out.setdefault(m.get("parentId", ""), []).append(digest + ("+card" if "attachments" in m else ""))
            return jsonify(out)

        return app


def _route_name(sub: str) -> str:
    parts = sub.split("/")
    if parts[0] == "attachment":
        return "attachment/actions" + ("/{id}" if len(parts) > 2 else "")
    return parts[0] + ("/{id}" if len(parts) > 1 and parts[1] != "me" else ("/me" if len(parts) > 1 else ""))


CARD_ACTIONS = {"Action.Submit", "Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility"}
CARD_ELEMENTS = {"TextBlock", "FactSet", "Container", "ColumnSet", "Column", "Image", "ImageSet", "ActionSet",
                 "Input.Text", "Input.ChoiceSet", "Input.Number", "Input.Date", "Input.Time", "Input.Toggle"}
MAX_CARD_ACTIONS = 5            # Webex: a card may include up to five buttons
MAX_CARD_BYTES = 28 * 1024      # the ceiling the bot designs against; Webex refuses cards well past it


def _card_elements(items: Any) -> list[dict[str, Any]]:
    out = []
    for item in items or []:
        if isinstance(item, dict):
            out.append(item)
            out += _card_elements(item.get("items")) + _card_elements(item.get("columns"))
    return out


def _check_card(card: dict[str, Any]) -> str:
    if len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode()) > MAX_CARD_BYTES:
        return "attachment content is too large"
    elements = _card_elements(card.get("body"))
    ids = [e["id"] for e in elements if "id" in e]
    if len(ids) != len(set(ids)):
        return "card element ids must be unique"
    actions = [*card.get("actions", []), *[a for e in elements if e.get("type") == "ActionSet" for a in e["actions"]]]
    if len(actions) > MAX_CARD_ACTIONS:
        return f"a card may have at most {MAX_CARD_ACTIONS} actions"
    for element in elements:
        if element.get("type") not in CARD_ELEMENTS:
            return f"unsupported card element {element.get('type')}"
    for action in actions:
        if action.get("type") not in CARD_ACTIONS:
            return f"unsupported card action {action.get('type')}"
        targets = action.get("targetElements", [])
        if any((t if isinstance(t, str) else t.get("elementId")) not in ids for t in targets):
            return "Action.ToggleVisibility targets an element the card does not have"
    return ""


def _check_attachments(attachments: Any) -> str:
    if not isinstance(attachments, list) or len(attachments) != 1:
        return "exactly one attachment is supported"
    att = attachments[0]
    if not isinstance(att, dict) or att.get("contentType") != "application/vnd.microsoft.card.adaptive":
        return "unsupported attachment contentType"
    card = att.get("content")
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return "attachment content must be an AdaptiveCard"
    if card.get("version") not in {"1.0", "1.1", "1.2", "1.3"}:
        return "Adaptive Card version not supported (1.3 at most)"
    return _check_card(card)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="fake-bot-token")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    fake = FakeWebex(token=args.token, deliver=False)
    fake.start(args.port)
    print(json.dumps({"port": fake.port, "botId": fake.state.bot_id}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
