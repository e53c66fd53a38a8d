"""Encryption at rest for evidence kept in case history (Fernet, with key rotation).

The key comes from BOT_EVIDENCE_KEY (comma-separated to rotate: the first encrypts, all decrypt). In the
embedded default (SQLite, no key given) one is generated on first run and saved beside the database with
mode 0600; a shared database (PostgreSQL) needs the key given, so every instance holds the same one.
"""
from __future__ import annotations

import logging
import os
import time
import zlib
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .config import ConfigError

log = logging.getLogger(__name__)

KEY_FILE_NAME = "evidence.key"


class EvidenceCipher:
    """Compress, then encrypt; decrypt, then decompress."""

    def __init__(self, keys: list[str] | tuple[str, ...]) -> None:
        if not keys:
            raise ConfigError("no evidence encryption key")
        try:
            self._fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
        except (ValueError, TypeError) as exc:
            raise ConfigError("BOT_EVIDENCE_KEY is not a valid Fernet key (32 url-safe base64 bytes)") from exc

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(zlib.compress(text.encode("utf-8"), 6))

    def decrypt(self, token: bytes) -> str:
        try:
            return zlib.decompress(self._fernet.decrypt(bytes(token))).decode("utf-8")
        except InvalidToken as exc:
            raise ValueError("evidence cannot be decrypted with the configured keys") from exc


def load_or_create_key_file(directory: Path) -> str:
    """The key saved in `directory`, created (race-free across processes) when there is none."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / KEY_FILE_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it right now
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise ConfigError(f"{path} is empty; delete it or set BOT_EVIDENCE_KEY") from None
    key = Fernet.generate_key().decode()
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    log.info("generated an evidence encryption key in %s (keep it with the database)", path)
    return key


def cipher_for(keys: tuple[str, ...], data_dir: Path, shared_database: bool) -> EvidenceCipher:
    if keys:
        return EvidenceCipher(keys)
    if shared_database:
        raise ConfigError("BOT_EVIDENCE_KEY is required with a shared database (DATABASE_URL=postgresql://...): "
                          "every instance must encrypt with the same key. Generate one with "
                          "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    return EvidenceCipher([load_or_create_key_file(data_dir)])
