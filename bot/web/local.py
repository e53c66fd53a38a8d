"""Local mode (no WEBEX_ACCESS_TOKEN): a page to paste evidence or upload a file and see exactly the reply the
bot would post in Webex, rendered: the answer card (its buttons work here too) and the markdown as posted."""
from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup

from matchers.evidence.archives import human_size
from matchers.evidence.intake import ACCEPT as ACCEPTED_EXTENSIONS

from ..chat.responder import Attachment, Incoming, Outgoing
from ..render.calls import call_line
from ..render.html import to_html
from ..render.ladder import WIDTH_PX
from .card_view import card_html, submitted
from .runtime import Runtime, runtime

blueprint = Blueprint("local", __name__, template_folder="templates")

LOCAL_ROOM = "local"
LOCAL_PERSON = "local-user"
# the file picker offers what the bot reads: logs, bundles, certificates, screenshots, packet captures
ACCEPT = ",".join(dict.fromkeys(ACCEPTED_EXTENSIONS))


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


@blueprint.app_context_processor
def _accept() -> dict[str, str]:
    return {"accept": ACCEPT}


def _runtime() -> Runtime:
    return runtime(current_app)


@blueprint.get("/")
def index() -> str:
    return render_template("local.html", evidence="", parts=None, card=None, notice="")


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
    return render_template("local.html", evidence=evidence, parts=_shown(out), card=card_html(out.card), notice="",
                           calls=calls, pictures=pictures)


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
