"""The Webex REST API as the bot uses it, through `webexpythonsdk`, with bounded retries.

- The token is passed explicitly. The SDK's legacy token variables are hidden while it is imported: its
  deprecation warning would print their value.
- The SDK's own rate-limit wait is turned off (it retries forever); here a 429 waits `Retry-After` when that
  is within `max_retry_after`, otherwise it raises `TransientWebexError` so the job is retried later.
- 5xx and connection failures are retried with exponential backoff, a bounded number of times.
- Files are downloaded with the bot's token only from the API's own host; 423 (still being scanned) waits
  and retries; the size limit is enforced while streaming.
"""
from __future__ import annotations

import logging
import os
import random
import re
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests

from matchers.evidence.archives import human_size

log = logging.getLogger(__name__)

_LEGACY_TOKEN_VARIABLES = ("SPARK_ACCESS_TOKEN", "CISCO_SPARK_ACCESS_TOKEN", "WEBEX_TEAMS_ACCESS_TOKEN")


def _import_sdk() -> Any:
    hidden = {name: os.environ.pop(name) for name in _LEGACY_TOKEN_VARIABLES if name in os.environ}
    try:
        import webexpythonsdk
    finally:
        os.environ.update(hidden)
    if hidden:
        log.warning("ignoring legacy token variable(s) %s; the bot reads WEBEX_ACCESS_TOKEN", ", ".join(hidden))
    return webexpythonsdk


sdk = _import_sdk()
from webexpythonsdk.exceptions import ApiError, RateLimitError  # noqa: E402
from webexpythonsdk.models.dictionary import dict_data_factory  # noqa: E402

T = TypeVar("T")


class WebexError(Exception):
    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TransientWebexError(WebexError):
    """Worth trying again later (429 beyond the bound, 5xx or network failure after the retries)."""


class PermanentWebexError(WebexError):
    """Trying again will not help (401, 403, 404, 400 ...)."""


class FileTooLarge(WebexError):
    pass


class FileUnavailable(WebexError):
    """The file cannot be had: still being scanned after every retry, infected (410), unscannable (428)."""


@dataclass(frozen=True)
class Person:
    id: str
    emails: tuple[str, ...]
    display_name: str
    first_name: str = ""


@dataclass(frozen=True)
class Message:
    id: str
    room_id: str
    room_type: str
    person_id: str
    person_email: str
    text: str = ""
    html: str = ""
    parent_id: str = ""
    files: tuple[str, ...] = ()
    mentioned_people: tuple[str, ...] = ()
    created: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Message:
        return cls(id=d["id"], room_id=d.get("roomId", ""), room_type=d.get("roomType", ""),
                   person_id=d.get("personId", ""), person_email=d.get("personEmail", "") or "",
                   text=d.get("text") or "", html=d.get("html") or "", parent_id=d.get("parentId") or "",
                   files=tuple(d.get("files") or ()), mentioned_people=tuple(d.get("mentionedPeople") or ()),
                   created=d.get("created", ""))


@dataclass
class Download:
    name: str
    content_type: str
    data: bytes = field(repr=False)


_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


class WebexClient:
    def __init__(self, token: str, base_url: str, *, timeout: int = 30, max_retry_after: int = 60,
                 retries: int = 4, scan_wait: float = 60.0, sleep: Callable[[float], None] = time.sleep) -> None:
        if not token:
            raise ValueError("a Webex access token is required")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.api = sdk.WebexAPI(access_token=token, base_url=self.base_url, single_request_timeout=timeout,
                                wait_on_rate_limit=False, object_factory=dict_data_factory)
        self._token = token
        self.timeout = timeout
        self.max_retry_after = max_retry_after
        self.retries = retries
        self.scan_wait = scan_wait
        self.sleep = sleep
        self._me: Person | None = None
        self._http = requests.Session()
        self._http.headers["Authorization"] = f"Bearer {token}"
        base = urllib.parse.urlsplit(self.base_url)
        self._api_origin = (base.scheme, base.netloc.lower())

    def __repr__(self) -> str:
        return f"WebexClient(base_url={self.base_url!r})"

    # ------------------------------------------------------------ retry policy
    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one API call with the retry policy; raise Transient/PermanentWebexError when it gives up."""
        last = ""
        for attempt in range(self.retries + 1):
            try:
                return fn()
            except RateLimitError as exc:
                wait = float(exc.retry_after)
                if wait > self.max_retry_after or attempt == self.retries:
                    raise TransientWebexError(f"{what}: rate limited for {wait:.0f} s", 429, wait) from None
                log.info("%s: 429, waiting %.0f s (Retry-After)", what, wait)
                self.sleep(wait)
                continue
            except ApiError as exc:
                status = exc.status_code
                if status < 500 and status != 408:
                    raise PermanentWebexError(f"{what}: {status} {exc.message or exc.status or ''}".strip(),
                                              status) from None
                last = f"{status}"
            except requests.RequestException as exc:
                last = type(exc).__name__
            if attempt < self.retries:
                delay = min(8.0, 0.5 * 2 ** attempt) * (0.75 + random.random() / 2)
                log.info("%s failed (%s); retry %d in %.1f s", what, last, attempt + 1, delay)
                self.sleep(delay)
        raise TransientWebexError(f"{what}: failed after {self.retries + 1} attempts ({last})")

    # ------------------------------------------------------------ calls
    def me(self) -> Person:
        if self._me is None:
            d = self.call("people/me", lambda: self.api.people.me())
            self._me = Person(id=d["id"], emails=tuple(d.get("emails") or ()),
                              display_name=d.get("displayName", ""), first_name=d.get("firstName", "") or "")
        return self._me

    def get_message(self, message_id: str) -> Message:
        return Message.from_json(self.call("get message", lambda: self.api.messages.get(message_id)))

    def post_message(self, room_id: str, markdown: str, parent_id: str | None = None,
                     attachments: list[dict[str, Any]] | None = None, text: str | None = None) -> str:
        def post() -> Any:
            return self.api.messages.create(roomId=room_id, parentId=parent_id or None, markdown=markdown,
                                            text=text, attachments=attachments)
        return str(self.call("post message", post)["id"])

    def post_file(self, room_id: str, name: str, data: bytes, parent_id: str | None = None,
                  markdown: str = "") -> str:
        """Post one file (a ladder PNG) as a message, multipart as Webex takes a local file; markdown above it."""
        safe = os.path.basename(name) or "file.png"
        with tempfile.TemporaryDirectory(prefix="hcs-upload-") as folder:
            path = os.path.join(folder, safe)
            with open(path, "wb") as fh:
                fh.write(data)

            def post() -> Any:
                return self.api.messages.create(roomId=room_id, parentId=parent_id or None,
                                                markdown=markdown or None, files=[path])
            return str(self.call("post file", post)["id"])

    def person_email(self, person_id: str) -> str:
        """The first email address of a person ("" when the person has none)."""
        person = self.call("get person", lambda: self.api.people.get(person_id))
        return str((person.get("emails") or [""])[0])

    def get_attachment_action(self, action_id: str) -> dict[str, Any]:
        return dict(self.call("get attachment action", lambda: self.api.attachment_actions.get(action_id)))

    def room_title(self, room_id: str) -> str | None:
        try:
            return str(self.call("get room", lambda: self.api.rooms.get(room_id)).get("title") or "") or None
        except WebexError:
            return None

    def list_webhooks(self) -> list[dict[str, Any]]:
        return [dict(w) for w in self.call("list webhooks", lambda: list(self.api.webhooks.list()))]

    def create_webhook(self, name: str, target_url: str, resource: str, event: str, secret: str) -> dict[str, Any]:
        return dict(self.call("create webhook", lambda: self.api.webhooks.create(
            name=name, targetUrl=target_url, resource=resource, event=event, secret=secret)))

    def update_webhook(self, webhook_id: str, name: str, target_url: str, secret: str) -> dict[str, Any]:
        return dict(self.call("update webhook", lambda: self.api.webhooks.update(
            webhook_id, name=name, targetUrl=target_url, secret=secret, status="active")))

    def delete_webhook(self, webhook_id: str) -> None:
        self.call("delete webhook", lambda: self.api.webhooks.delete(webhook_id))

    # ------------------------------------------------------------ files
    def is_api_url(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return (parts.scheme, parts.netloc.lower()) == self._api_origin

    def file_info(self, url: str) -> tuple[str, int | None] | None:
        """An attachment's name and size from a HEAD request (no download), or None when it cannot be had."""
        if not self.is_api_url(url):
            return None
        try:
            with self._http.head(url, timeout=self.timeout, allow_redirects=False) as resp:
                if resp.status_code != 200:
                    return None
                m = _FILENAME.search(resp.headers.get("Content-Disposition", ""))
                length = resp.headers.get("Content-Length", "")
                name = urllib.parse.unquote(m.group(1)).strip() if m else ""
                return (name or "attachment"), (int(length) if length.isdigit() else None)
        except requests.RequestException:
            return None

    def download(self, url: str, max_bytes: int) -> Download:
        """Fetch an attached file. Only URLs on the API's own host get the token."""
        if not self.is_api_url(url):
            raise PermanentWebexError("file URL is not on the Webex API host; not sending the token there")
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self._http.get(url, stream=True, timeout=self.timeout)
            except requests.RequestException as exc:
                if attempt > self.retries:
                    raise TransientWebexError(f"download: {type(exc).__name__}") from None
                self.sleep(min(8.0, 0.5 * 2 ** attempt))
                continue
            with resp:
                status = resp.status_code
                if status == 200:
                    return self._read(resp, max_bytes)
                retry_after = _retry_after(resp, 5.0)
                if status == 423:
                    if waited + retry_after > self.scan_wait:
                        raise FileUnavailable("the file is still being scanned for malware", 423, retry_after)
                    log.info("file still being scanned; waiting %.0f s", retry_after)
                    waited += retry_after
                    self.sleep(retry_after)
                    continue
                if status == 410:
                    raise FileUnavailable("Webex quarantined the file (malware scan)", 410)
                if status == 428:
                    raise FileUnavailable("Webex could not scan the file for malware, so it cannot be downloaded",
                                          428)
                if status == 429 and retry_after <= self.max_retry_after and attempt <= self.retries:
                    self.sleep(retry_after)
                    continue
                if (status >= 500 or status == 429) and attempt <= self.retries:
                    self.sleep(min(8.0, 0.5 * 2 ** attempt))
                    continue
                if status >= 500 or status == 429:
                    raise TransientWebexError(f"download: {status}", status, retry_after)
                raise PermanentWebexError(f"download: {status}", status)

    @staticmethod
    def _read(resp: requests.Response, max_bytes: int) -> Download:
        name = "attachment"
        disposition = resp.headers.get("Content-Disposition", "")
        m = _FILENAME.search(disposition)
        if m:
            name = urllib.parse.unquote(m.group(1)).strip() or name
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FileTooLarge(f"{name} is {human_size(int(length))}", int(length))
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_content(chunk_size=256 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise FileTooLarge(f"{name} is larger than {human_size(max_bytes)}", size)
            chunks.append(chunk)
        return Download(name=name, content_type=resp.headers.get("Content-Type", ""), data=b"".join(chunks))

    def close(self) -> None:
        self._http.close()


def _retry_after(resp: requests.Response, default: float) -> float:
    try:
        return max(1.0, float(resp.headers.get("Retry-After", default)))
    except ValueError:
        return default
