"""Background processing of webhook jobs: off the request thread, exactly once, retried until posted.

Each instance runs a small thread pool for the jobs its webhooks queued and a sweeper that takes over jobs
that are due for a retry or whose worker died (lease expired), whichever instance queued them.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from matchers.evidence.archives import human_size

from .access import REFUSAL, AccessPolicy, is_bot_email
from .cards import attachment
from .cards.greeting import greeting_card, greeting_markdown
from .config import Config
from .mentions import strip_mention
from .progress import FileInfo, ProgressNote, reading_note
from .responder import Attachment, Incoming, Outgoing, Responder
from .storage import Job, Storage
from .webex import (
    FileTooLarge,
    FileUnavailable,
    Message,
    PermanentWebexError,
    TransientWebexError,
    WebexClient,
    WebexError,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_FILES = 5
PURGE_AFTER = 30 * 24 * 3600  # finished jobs are kept this long, so late duplicate deliveries are still caught


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before a failed job is tried again: Retry-After if given, else 15 s doubling, capped at 15 min."""
    base = min(900.0, 15.0 * 2 ** max(0, attempts - 1))
    return max(retry_after or 0.0, base * (0.8 + random.random() * 0.4))


class Worker:
    def __init__(self, config: Config, storage: Storage, webex: WebexClient, responder: Responder,
                 access: AccessPolicy) -> None:
        self.config = config
        self.storage = storage
        self.webex = webex
        self.responder = responder
        self.access = access
        self._pool = ThreadPoolExecutor(max_workers=config.worker_threads, thread_name_prefix="bot-job")
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None
        self._inflight = 0
        self._idle = threading.Condition()
        self._last_purge = 0.0

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._sweeper is None:
            self._sweeper = threading.Thread(target=self._sweep_loop, name="bot-sweeper", daemon=True)
            self._sweeper.start()

    def stop(self, wait: bool = True) -> None:
        self._stop.set()
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
        if self._sweeper is not None and wait:
            self._sweeper.join(timeout=5)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until no job is queued or running in this instance (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._inflight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def _submit(self, fn: Callable[..., None], *args: object) -> None:
        with self._idle:
            self._inflight += 1

        def run() -> None:
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - a job must never kill the pool
                log.exception("background task failed")
            finally:
                with self._idle:
                    self._inflight -= 1
                    self._idle.notify_all()

        try:
            self._pool.submit(run)
        except RuntimeError:  # shutting down: the job stays in the table for another instance
            with self._idle:
                self._inflight -= 1
                self._idle.notify_all()

    def submit(self, job_id: str) -> None:
        """Run a job this instance has just queued."""
        self._submit(self._run, job_id, True)

    def submit_refusal(self, room_id: str, parent_id: str) -> None:
        self._submit(self._post_refusal, room_id, parent_id)

    def _sweep_loop(self) -> None:
        while not self._stop.wait(self.config.sweep_interval * (0.5 + random.random())):
            try:
                self.sweep()
            except Exception:  # noqa: BLE001 - keep sweeping
                log.exception("sweep failed")

    def sweep(self) -> int:
        """Start the jobs that are due (retries, stranded); returns how many were started."""
        ids = self.storage.claimable(limit=self.config.worker_threads * 2)
        for job_id in ids:
            self._submit(self._run, job_id, False)
        now = time.time()
        if now - self._last_purge > 3600:
            self._last_purge = now
            self.storage.purge_jobs(PURGE_AFTER)
            self.storage.purge_thread_evidence(self.config.thread_memory_days * 24 * 3600)
        return len(ids)

    # ------------------------------------------------------------ one job
    def _run(self, job_id: str, fresh: bool) -> None:
        job = self.storage.claim(job_id, lease=self.config.job_lease, fresh=fresh)
        if job is None:
            return  # another worker or instance has it
        try:
            if job.kind == "message":
                self._message_job(job)
            elif job.kind == "action":
                self._action_job(job)
            elif job.kind == "membership":
                self._membership_job(job)
            else:
                self.storage.finish(job, "failed", f"unknown job kind {job.kind}")
        except TransientWebexError as exc:
            self._retry_or_fail(job, str(exc), exc.retry_after)
        except PermanentWebexError as exc:
            log.error("job %s failed permanently: %s", job.id, exc)
            self.storage.finish(job, "failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: retry a few times, then say so
            log.exception("job %s raised", job.id)
            self._retry_or_fail(job, f"{type(exc).__name__}: {exc}", None, apologise=True)

    def _retry_or_fail(self, job: Job, error: str, retry_after: float | None, apologise: bool = False) -> None:
        if job.attempts >= MAX_ATTEMPTS:
            log.error("job %s gave up after %d attempts; the reply was NOT posted: %s", job.id, job.attempts, error)
            if apologise and job.kind == "message":
                self._apologise(job)
            self.storage.finish(job, "failed", error)
            return
        delay = retry_delay(job.attempts, retry_after)
        log.warning("job %s attempt %d failed (%s); retrying in %.0f s", job.id, job.attempts, error, delay)
        self.storage.reschedule(job, delay, error)

    def _apologise(self, job: Job) -> None:
        room_id, parent = job.payload.get("roomId", ""), job.progress.get("thread_id") or job.payload.get("id")
        try:
            self.webex.post_message(room_id, "Sorry, something went wrong while I diagnosed this message. "
                                             "The problem is logged; please try again later.", parent_id=parent)
        except WebexError:
            log.error("could not post the apology for job %s either", job.id)

    # ------------------------------------------------------------ messages
    def _message_job(self, job: Job) -> None:
        message_id = job.payload["id"]
        try:
            msg = self.webex.get_message(message_id)
        except PermanentWebexError as exc:
            if exc.status in (404, 410):
                log.info("message %s is gone; nothing to answer", message_id)
                self.storage.finish(job, "ignored", str(exc))
                return
            raise
        me = self.webex.me()
        if msg.person_id == me.id or is_bot_email(msg.person_email):
            self.storage.finish(job, "ignored", "from a bot")
            return
        thread_id = msg.parent_id or msg.id
        if not self.access.allows(msg.person_id, msg.person_email, msg.room_id):
            if self.access.should_refuse(msg.person_id, msg.room_id):
                self._post_refusal(msg.room_id, thread_id)
            self.storage.finish(job, "ignored", "not allowed")
            return
        if msg.room_type == "group" and me.id not in msg.mentioned_people:
            self.storage.finish(job, "ignored", "group message without a mention")
            return
        job.progress["thread_id"] = thread_id
        read: dict[str, FileInfo] = {}      # attachments downloaded so far, for the note

        def note() -> None:
            files = [read.get(url) or self.webex.file_info(url) for url in msg.files[:MAX_FILES]]
            self.webex.post_message(msg.room_id, reading_note(files), parent_id=thread_id)

        progress = ProgressNote(self.config.progress_note_after, note)
        try:
            with progress.running(enabled=bool(msg.files) and not job.progress.get("note")):
                incoming = self._incoming(msg, me.id, me.display_name, read)
                out = self.responder.respond(incoming, existing_diagnosis_id=job.progress.get("diagnosis_id"))
        finally:
            if progress.posted:             # a retry must not post it again
                job.progress["note"] = True
                self.storage.save_progress(job, self.config.job_lease)
        if out.diagnosis_id:
            job.progress["diagnosis_id"] = out.diagnosis_id
        self._post(job, msg.room_id, thread_id, out)
        self.storage.finish(job, "done")

    def _incoming(self, msg: Message, bot_id: str, bot_name: str, read: dict[str, FileInfo]) -> Incoming:
        text = strip_mention(msg.text, msg.html, bot_id, bot_name, msg.room_type)
        incoming = Incoming(message_id=msg.id, room_id=msg.room_id, room_type=msg.room_type or "direct",
                            thread_id=msg.parent_id or msg.id, person_id=msg.person_id, text=text)
        for url in msg.files[:MAX_FILES]:
            try:
                download = self.webex.download(url, self.config.max_file_bytes)
            except FileTooLarge as exc:
                incoming.attachment_errors.append(
                    f"{exc}; the limit is {human_size(self.config.max_file_bytes)}. Send the log of the failed "
                    "call only, or the diagnostic log bundle compressed.")
                continue
            except FileUnavailable as exc:
                incoming.attachment_errors.append(f"I could not download the attachment: {exc}.")
                continue
            except PermanentWebexError as exc:
                incoming.attachment_errors.append(f"I could not download the attachment ({exc.status or exc}).")
                continue
            incoming.attachments.append(Attachment(download.name, download.data))
            read[url] = (download.name, len(download.data))
        if len(msg.files) > MAX_FILES:
            incoming.attachment_errors.append(f"I read the first {MAX_FILES} attachments only.")
        if msg.parent_id:
            try:
                incoming.thread_text = self.webex.get_message(msg.parent_id).text
            except WebexError:
                pass  # bots may not read every message of a group space; the stored thread cases still count
        return incoming

    def _post(self, job: Job, room_id: str, thread_id: str, out: Outgoing) -> None:
        """Post the parts not posted yet (a retried job resumes where it stopped), the card with the first part
        (its fallback text), then the failing calls' ladders."""
        posted = int(job.progress.get("posted", 0))
        for n, part in enumerate(out.parts[posted:], posted):
            card = [attachment(out.card)] if out.card is not None and n == 0 else None
            self.webex.post_message(room_id, part, parent_id=thread_id, attachments=card)
            posted += 1
            job.progress["posted"] = posted
            self.storage.save_progress(job, self.config.job_lease)
        drawn = int(job.progress.get("pictures", 0))
        for name, png in out.pictures[drawn:]:        # the failing calls' ladders, under the diagnosis
            try:
                self.webex.post_file(room_id, name, png, parent_id=thread_id)
            except PermanentWebexError as exc:
                log.warning("could not post the picture %s: %s", name, exc)
            drawn += 1
            job.progress["pictures"] = drawn
            self.storage.save_progress(job, self.config.job_lease)

    def _post_refusal(self, room_id: str, parent_id: str) -> None:
        try:
            self.webex.post_message(room_id, REFUSAL, parent_id=parent_id or None)
        except WebexError as exc:
            log.warning("could not post the refusal: %s", exc)

    # ------------------------------------------------------------ card submissions
    def _action_job(self, job: Job) -> None:
        action = self.webex.get_attachment_action(job.payload["id"])
        person_id = action.get("personId", "")
        room_id = action.get("roomId", "")
        me = self.webex.me()
        if person_id == me.id:
            self.storage.finish(job, "ignored", "own action")
            return
        email = ""
        if self.access.needs_email and not self.access.allows(person_id, "", room_id):
            try:
                email = self.webex.person_email(person_id)
            except PermanentWebexError:
                email = ""
        if not self.access.allows(person_id, email, room_id):
            self.storage.finish(job, "ignored", "not allowed")
            return
        reply = self.responder.card_action(action.get("inputs"), person_id, room_id, job.payload["id"])
        if reply is None:
            self.storage.finish(job, "ignored", "not an action on a diagnosis in this space")
            return
        self._post(job, room_id, reply.thread_id, Outgoing(parts=reply.parts, card=reply.card))
        self.storage.finish(job, "done")


    # ------------------------------------------------------------ the bot added to a space
    def _membership_job(self, job: Job) -> None:
        """Greet a group space once when the bot itself is added (a direct space starts with the person's own
        message, which gets its answer); someone else joining, or a space already greeted, gets nothing."""
        room_id, actor = job.payload.get("roomId", ""), job.payload.get("actorId", "")
        me = self.webex.me()
        if job.payload.get("personId") != me.id:
            self.storage.finish(job, "ignored", "someone else was added")
            return
        if (job.payload.get("roomType") or "group") != "group":
            self.storage.finish(job, "ignored", "not a group space")
            return
        email = ""
        if self.access.needs_email and not self.access.allows(actor, "", room_id):
            try:
                email = self.webex.person_email(actor) if actor else ""
            except PermanentWebexError:
                email = ""
        if not self.access.allows(actor, email, room_id):
            self.storage.finish(job, "ignored", "added by someone not allowed")
            return
        if not job.progress.get("greeting"):   # a retry of the job that won the space posts what it owes
            if not self.storage.mark_greeted(room_id):
                self.storage.finish(job, "ignored", "space already greeted")
                return
            job.progress["greeting"] = True
            self.storage.save_progress(job, self.config.job_lease)
        self.webex.post_message(room_id, greeting_markdown(me.display_name),
                                attachments=[attachment(greeting_card(me.display_name))])
        self.storage.finish(job, "done")
