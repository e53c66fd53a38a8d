"""`python -m bot register-webhooks --url https://bot.example.com`: create, update or re-activate the bot's
webhooks (messages, card submissions, memberships: the bot added to a space), all signed with
WEBEX_WEBHOOK_SECRET."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .config import Config, ConfigError
from .webex import WebexClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HookSpec:
    name: str
    resource: str
    event: str
    path: str


MESSAGES_PATH = "/webhooks/messages"
ACTIONS_PATH = "/webhooks/attachment-actions"
MEMBERSHIPS_PATH = "/webhooks/memberships"
HOOKS = (
    HookSpec("hybridcall-diag messages", "messages", "created", MESSAGES_PATH),
    HookSpec("hybridcall-diag card submissions", "attachmentActions", "created", ACTIONS_PATH),
    HookSpec("hybridcall-diag memberships", "memberships", "created", MEMBERSHIPS_PATH),
)


def register(client: WebexClient, public_url: str, secret: str) -> list[str]:
    """Make every webhook point at `public_url`, active, with `secret`. Returns one line per action."""
    if not public_url.startswith("https://") and not public_url.startswith("http://"):
        raise ConfigError("--url must be the public http(s) address of the service")
    base = public_url.rstrip("/")
    for spec in HOOKS:
        if base.endswith(spec.path):
            base = base[: -len(spec.path)]
    existing = client.list_webhooks()
    report = []
    for spec in HOOKS:
        target = base + spec.path
        mine = [w for w in existing if w.get("resource") == spec.resource and w.get("event") == spec.event
                and (w.get("name") == spec.name or str(w.get("targetUrl", "")).endswith(spec.path))]
        if not mine:
            created = client.create_webhook(spec.name, target, spec.resource, spec.event, secret)
            report.append(f"created {spec.name} -> {target} ({created.get('id')})")
            continue
        first, extra = mine[0], mine[1:]
        was = first.get("status", "active")
        client.update_webhook(first["id"], spec.name, target, secret)
        verb = "re-activated" if was != "active" else "updated"
        report.append(f"{verb} {spec.name} -> {target} ({first['id']})")
        for hook in extra:
            client.delete_webhook(hook["id"])
            report.append(f"deleted duplicate {hook.get('name')} ({hook['id']})")
    return report


def register_from_env(public_url: str, config: Config | None = None) -> list[str]:
    config = config or Config.from_env()
    if config.local_mode:
        raise ConfigError("WEBEX_ACCESS_TOKEN is not set: register-webhooks needs the bot's token")
    client = WebexClient(config.access_token, config.base_url, timeout=config.request_timeout,
                         max_retry_after=config.max_retry_after)
    try:
        return register(client, public_url, config.webhook_secret)
    finally:
        client.close()
