"""Service configuration, read once from environment variables.

The four names other tools rely on are fixed: WEBEX_ACCESS_TOKEN, WEBEX_WEBHOOK_SECRET, WEBEX_BASE_URL and
DATABASE_URL. Everything else is optional and prefixed BOT_. With no WEBEX_ACCESS_TOKEN the service runs in
local mode (a page to paste evidence into, no Webex at all).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URL = "https://webexapis.com/v1/"
DEFAULT_CASE_URL = "https://mycase.cloudapps.cisco.com/case/{case}"
DEFAULT_BUG_URL = "https://bst.cloudapps.cisco.com/bugsearch/bug/{bug}"
DEFAULT_DATA_DIR = "var"


class ConfigError(ValueError):
    """The environment does not describe a service that can start."""


def _csv(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from exc
    if not 0 <= value <= 3600:
        raise ConfigError(f"{name} must be between 0 and 3600 seconds")
    return value


@dataclass(frozen=True)
class Config:
    access_token: str = ""
    webhook_secret: str = ""
    base_url: str = DEFAULT_BASE_URL
    database_url: str = ""                       # empty: SQLite in data_dir
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    evidence_keys: tuple[str, ...] = ()          # Fernet keys, newest first; empty: generated in data_dir
    allowed_email_domains: frozenset[str] = frozenset()
    allowed_person_ids: frozenset[str] = frozenset()
    allowed_room_ids: frozenset[str] = frozenset()
    case_url_template: str = DEFAULT_CASE_URL
    bug_url_template: str = DEFAULT_BUG_URL
    case_history_scope: str = "asker"            # asker: this space + the asker's own; all: every space
    worker_threads: int = 4
    max_file_bytes: int = 50 * 1024 * 1024       # one downloaded or uploaded file
    max_unpacked_bytes: int = 100 * 1024 * 1024  # everything unpacked from one archive
    max_retry_after: int = 60                    # longest Retry-After honoured in place, seconds
    request_timeout: int = 30                    # one Webex API request, seconds
    job_lease: int = 300                         # a job not finished in this time is taken over, seconds
    sweep_interval: float = 5.0                  # how often each instance looks for stranded jobs, seconds
    progress_note_after: float = 3.0             # files taking longer get a "Reading your bundle…" note, seconds
    thread_memory_days: int = 14                 # a thread's evidence is forgotten after this many quiet days

    @property
    def local_mode(self) -> bool:
        return not self.access_token

    @property
    def database_path(self) -> Path:
        return self.data_dir / "hybridcall-bot.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.database_path}"

    def __repr__(self) -> str:  # never show the token, the secret or the keys
        return (f"Config(local_mode={self.local_mode}, base_url={self.base_url!r}, "
                f"database={'postgresql' if self.database_url.startswith('postgres') else 'sqlite'})")

    __str__ = __repr__

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        token = env.get("WEBEX_ACCESS_TOKEN", "").strip()
        secret = env.get("WEBEX_WEBHOOK_SECRET", "").strip()
        base_url = env.get("WEBEX_BASE_URL", "").strip() or DEFAULT_BASE_URL
        if not base_url.endswith("/"):
            base_url += "/"
        if not base_url.startswith(("https://", "http://")):
            raise ConfigError("WEBEX_BASE_URL must be an http(s) URL")
        if token and not secret:
            raise ConfigError("WEBEX_WEBHOOK_SECRET is required when WEBEX_ACCESS_TOKEN is set: "
                              "without it anyone could post forged webhooks to the bot")
        database_url = env.get("DATABASE_URL", "").strip()
        if database_url.startswith("postgres://"):
            database_url = "postgresql://" + database_url[len("postgres://"):]
        if database_url and not database_url.startswith(("postgresql://", "sqlite:///")):
            raise ConfigError("DATABASE_URL must start with postgresql:// or sqlite:///")
        scope = env.get("BOT_CASE_HISTORY_SCOPE", "asker").strip().lower() or "asker"
        if scope not in {"asker", "all"}:
            raise ConfigError("BOT_CASE_HISTORY_SCOPE must be 'asker' or 'all'")
        for name, default in (("BOT_CASE_URL_TEMPLATE", "{case}"), ("BOT_BUG_URL_TEMPLATE", "{bug}")):
            template = env.get(name, "")
            if template and default not in template:
                raise ConfigError(f"{name} must contain {default}")
        return cls(
            access_token=token,
            webhook_secret=secret,
            base_url=base_url,
            database_url=database_url,
            data_dir=Path(env.get("BOT_DATA_DIR", "").strip() or DEFAULT_DATA_DIR),
            evidence_keys=tuple(k for k in (p.strip() for p in env.get("BOT_EVIDENCE_KEY", "").split(",")) if k),
            allowed_email_domains=frozenset(d.lower().lstrip("@") for d in _csv(env.get("BOT_ALLOWED_EMAIL_DOMAINS"))),
            allowed_person_ids=_csv(env.get("BOT_ALLOWED_PERSON_IDS")),
            allowed_room_ids=_csv(env.get("BOT_ALLOWED_ROOM_IDS")),
            case_url_template=env.get("BOT_CASE_URL_TEMPLATE", "").strip() or DEFAULT_CASE_URL,
            bug_url_template=env.get("BOT_BUG_URL_TEMPLATE", "").strip() or DEFAULT_BUG_URL,
            case_history_scope=scope,
            worker_threads=_int(env, "BOT_WORKER_THREADS", 4, 1),
            max_file_bytes=_int(env, "BOT_MAX_FILE_BYTES", 50 * 1024 * 1024, 1024),
            max_unpacked_bytes=_int(env, "BOT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, 1024),
            max_retry_after=_int(env, "BOT_MAX_RETRY_AFTER", 60, 1),
            request_timeout=_int(env, "BOT_REQUEST_TIMEOUT", 30, 1),
            job_lease=_int(env, "BOT_JOB_LEASE", 300, 5),
            progress_note_after=_seconds(env, "BOT_PROGRESS_NOTE_AFTER", 3.0),
            thread_memory_days=_int(env, "BOT_THREAD_MEMORY_DAYS", 14, 1),
        )
