"""Local mode (no WEBEX_ACCESS_TOKEN): a page to paste evidence or upload a file and see exactly the reply the
bot would post in Webex, rendered: the answer card (its buttons work here too) and the markdown as posted."""
from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup

from matchers.evidence.archives import human_size
from matchers.evidence.intake import ACCEPT as ACCEPTED_EXTENSIONS

from ..chat.responder import Attachment, Incoming, Outgoing
from ..render.calls import call_line
from ..render.html import to_html
from ..render.ladder import WIDTH_PX
from ..render.paste import paste_view, quoted_lines
from .card_view import card_html, submitted
from .runtime import Runtime, runtime

blueprint = Blueprint("local", __name__, template_folder="templates")

LOCAL_ROOM = "local"
LOCAL_PERSON = "local-user"
# the file picker offers what the bot reads: logs, bundles, certificates, screenshots, packet captures
ACCEPT = ",".join(dict.fromkeys(ACCEPTED_EXTENSIONS))
# the project's samples/, offered as "Try an example" (absent from a wheel install: then nothing is offered);
# an app can point SAMPLES_DIR elsewhere
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
_SAMPLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.txt")


@dataclass
class ShownPart:
    markdown: str
    html: Markup
    size: int


def _shown(out: Outgoing) -> list[ShownPart]:
    return [ShownPart(markdown=p, html=Markup(to_html(p)), size=len(p.encode())) for p in out.parts]


def _calls_view(out: Outgoing) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The call list and the failing calls' ladders, inline as PNG data URIs."""
    calls = [{"line": call_line(v), "failed": v.call.failed} for v in out.calls]
    pictures = [{"name": name, "width": WIDTH_PX, "uri": "data:image/png;base64," + base64.b64encode(png).decode()}
                for name, png in out.pictures]
    return calls, pictures


@dataclass
class Sample:
    name: str
    label: str


def samples() -> list[Sample]:
    folder = Path(current_app.config.get("SAMPLES_DIR", SAMPLES_DIR))
    if not folder.is_dir():
        return []
    names = sorted(p.name for p in folder.glob("*.txt") if _SAMPLE_NAME.fullmatch(p.name) and p.is_file())
    return [Sample(n, n.removesuffix(".txt").replace("-", " ")) for n in names]


def read_sample(name: str) -> str | None:
    """A sample's text; only a name from the listing is opened, so no request can reach outside samples/."""
    if name not in {s.name for s in samples()}:
        return None
    folder = Path(current_app.config.get("SAMPLES_DIR", SAMPLES_DIR))
    return (folder / name).read_text(encoding="utf-8", errors="replace")


@blueprint.app_context_processor
def _page_context() -> dict[str, Any]:
    return {"accept": ACCEPT, "samples": samples()}


def _runtime() -> Runtime:
    return runtime(current_app)


@blueprint.get("/")
def index() -> str:
    """The empty page; `?example=NAME` puts that sample in the paste box (the "Try it" button without script)."""
    example = request.args.get("example", "")
    evidence = read_sample(example) if example else ""
    notice = "There is no example by that name." if evidence is None else ""
    return render_template("local.html", evidence=evidence or "", parts=None, card=None, notice=notice,
                           example=example)


@blueprint.get("/samples/<name>")
def sample(name: str) -> Response:
    text = read_sample(name)
    if text is None:
        abort(404)
    return Response(text, mimetype="text/plain")


@blueprint.post("/")
def diagnose() -> str:
    rt = _runtime()
    evidence = request.form.get("evidence", "")
    attachments = []
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        attachments.append(Attachment(upload.filename, upload.read()))  # bounded by MAX_CONTENT_LENGTH
    message_id = f"local-{uuid.uuid4().hex}"
    incoming = Incoming(message_id=message_id, room_id=LOCAL_ROOM, room_type="local", thread_id=message_id,
                        person_id=LOCAL_PERSON, text=evidence, attachments=attachments)
    out = rt.responder.respond(incoming)
    calls, pictures = _calls_view(out)
    marked = quoted_lines(out.report, evidence) if out.report is not None else set()
    return render_template("local.html", evidence=evidence, parts=_shown(out), card=card_html(out.card), notice="",
                           calls=calls, pictures=pictures, marked=len(marked),
                           paste=paste_view(evidence, marked) if marked else [])


@blueprint.app_errorhandler(413)
def too_large(_error: Exception) -> tuple[str, int]:
    limit = human_size(_runtime().config.max_file_bytes)
    return render_template("local.html", evidence="", parts=None, card=None,
                           notice=f"That upload is larger than the limit ({limit})."), 413


@blueprint.post("/feedback")
def feedback() -> str:
    """A card button pressed on this page: an acknowledgement shows as a notice, anything else as the reply."""
    rt = _runtime()
    inputs = submitted({k: request.form.get(k, "") for k in request.form})
    reply = rt.responder.card_action(inputs, LOCAL_PERSON, LOCAL_ROOM, f"local-{uuid.uuid4().hex}")
    if reply is None:
        return render_template("local.html", evidence="", parts=None, card=None,
                               notice="That button does not match a diagnosis made here.")
    if reply.ack and reply.card is None:
        notice = Markup(to_html(" ".join(reply.parts)))   # the markdown as Webex would show it
        return render_template("local.html", evidence="", parts=None, card=None, notice=notice)
    out = Outgoing(parts=reply.parts, card=reply.card)
    return render_template("local.html", evidence="", parts=_shown(out), card=card_html(out.card), notice="")
