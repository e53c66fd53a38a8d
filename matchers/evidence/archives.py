"""Archives (.gz, .tar, .tar.gz/.tgz, .zip: an Expressway diagnostic log bundle, for instance) unpacked safely into
their members, which `intake` then reads like any file (text logs, packet captures, certificates).

Nothing is written to disk: archives are read in memory, so a member named `../../etc/passwd` cannot
escape anywhere; such members are skipped anyway, with symlinks, devices and encrypted members. Limits:
total unpacked bytes, compression ratio (a zip bomb is refused, not unpacked), number of members, nesting.
"""
from __future__ import annotations

import io
import posixpath
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field

EXTENSIONS = (".tar.gz", ".tgz", ".tar", ".zip", ".gz")
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
MAGICS = (GZIP_MAGIC, ZIP_MAGIC)


class EvidenceError(Exception):
    """A file cannot be diagnosed; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 200          # unpacked / packed, per member and per stream
    max_members: int = 2000       # archive entries looked at, all archives together
    max_depth: int = 2            # an archive inside an archive inside the upload, no deeper


@dataclass
class Unpacked:
    """The regular files of an archive (nested archives opened), and the members skipped, with why."""

    name: str
    files: list[tuple[str, bytes]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (member name, why)


def human_size(n: int) -> str:
    """
    >>> human_size(50 * 1024 * 1024), human_size(2048), human_size(300)
    ('50 MB', '2 KB', '300 bytes')
    """
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def archive_kind(name: str, head: bytes) -> str | None:
    """'gzip', 'zip' or 'tar' from the first bytes; 'unsupported' when the name says archive but the bytes do not;
    None for anything else."""
    lower = name.lower()
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if _is_tar(head):
        return "tar"
    if lower.endswith(EXTENSIONS):
        return "tar" if lower.endswith(".tar") else "unsupported"
    return None


def _is_tar(head: bytes) -> bool:
    return len(head) > 262 and head[257:262] == b"ustar"


class _Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.bytes_left = limits.max_unpacked_bytes
        self.members_left = limits.max_members

    def take_bytes(self, n: int) -> None:
        self.bytes_left -= n
        if self.bytes_left < 0:
            raise EvidenceError(f"the archive unpacks to more than {human_size(self.limits.max_unpacked_bytes)}; "
                               "send the log files of the failed call only")

    def take_member(self) -> None:
        self.members_left -= 1
        if self.members_left < 0:
            raise EvidenceError(f"the archive holds more than {self.limits.max_members} files; "
                               "send the diagnostic log bundle or the log files themselves")


def gunzip(data: bytes, budget: _Budget) -> bytes:
    """Decompress every gzip member of `data`, never producing more than the budget allows."""
    out = bytearray()
    rest = data
    while rest:
        if not rest.startswith(GZIP_MAGIC):
            if rest.strip(b"\x00"):
                raise EvidenceError("the .gz file has trailing data that is not gzip")
            break
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        while not d.eof:
            try:
                chunk = d.decompress(pending, min(budget.bytes_left + 1, 1024 * 1024))
            except zlib.error as exc:
                raise EvidenceError(f"the .gz file is damaged ({exc})") from None
            budget.take_bytes(len(chunk))
            out += chunk
            pending = d.unconsumed_tail
            if not chunk and not pending:
                raise EvidenceError("the .gz file is truncated")
        rest = d.unused_data
    if len(out) > budget.limits.max_ratio * max(len(data), 1) and len(out) > 1024 * 1024:
        raise EvidenceError("the .gz file expands more than any log does (a decompression bomb?); not unpacked")
    return bytes(out)


def _safe_name(name: str) -> str | None:
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../") or "/../" in f"/{norm}/":
        return None
    return norm


def check_size(name: str, data: bytes, limits: Limits) -> None:
    """EvidenceError when an attached file is over the per-file limit."""
    if len(data) > limits.max_file_bytes:
        raise EvidenceError(f"{name} is {human_size(len(data))}; the limit is {human_size(limits.max_file_bytes)}")


def _add_blob(out: Unpacked, name: str, data: bytes, budget: _Budget, depth: int) -> None:
    kind = archive_kind(name, data[:512])
    if kind in {"gzip", "zip", "tar"}:
        if depth >= budget.limits.max_depth:
            out.skipped.append((name, "archive nested too deep"))
            return
        inner = _unpack_archive(name, data, kind, budget, depth + 1)
        out.files.extend(inner.files)
        out.skipped.extend(inner.skipped)
        return
    out.files.append((name, data))


def _unpack_archive(name: str, data: bytes, kind: str, budget: _Budget, depth: int) -> Unpacked:
    out = Unpacked(name)
    if kind == "gzip":
        inner = gunzip(data, budget)
        inner_name = name[:-3] if name.lower().endswith(".gz") else name + ".out"
        if name.lower().endswith(".tgz"):
            inner_name = name[:-4] + ".tar"
        if _is_tar(inner[:512]):
            return _unpack_tar(name, inner, budget, depth, out)
        budget.take_member()
        _add_blob(out, inner_name, inner, budget, depth)
        return out
    if kind == "tar":
        return _unpack_tar(name, data, budget, depth, out)
    return _unpack_zip(name, data, budget, depth, out)


def _unpack_tar(name: str, data: bytes, budget: _Budget, depth: int, out: Unpacked) -> Unpacked:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for info in tar:
                budget.take_member()
                if info.isdir():
                    continue
                safe = _safe_name(info.name)
                if safe is None:
                    out.skipped.append((info.name, "unsafe path"))
                    continue
                if not info.isreg():
                    out.skipped.append((safe, "not a regular file"))
                    continue
                fh = tar.extractfile(info)
                if fh is None:
                    continue
                blob = fh.read(min(info.size, budget.bytes_left + 1))
                budget.take_bytes(len(blob))
                _add_blob(out, safe, blob, budget, depth)
    except tarfile.TarError as exc:
        raise EvidenceError(f"{name} is not a readable tar archive ({exc})") from None
    return out


def _unpack_zip(name: str, data: bytes, budget: _Budget, depth: int, out: Unpacked) -> Unpacked:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise EvidenceError(f"{name} is not a readable zip archive ({exc})") from None
    with zf:
        for info in zf.infolist():
            budget.take_member()
            if info.is_dir():
                continue
            safe = _safe_name(info.filename)
            if safe is None:
                out.skipped.append((info.filename, "unsafe path"))
                continue
            if info.flag_bits & 0x1:
                out.skipped.append((safe, "encrypted"))
                continue
            if info.file_size > budget.limits.max_ratio * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
                raise EvidenceError("the zip file expands more than any log does (a decompression bomb?); "
                                   "not unpacked")
            if info.file_size > budget.bytes_left:
                budget.take_bytes(info.file_size)
            try:
                with zf.open(info) as fh:
                    blob = fh.read(budget.bytes_left + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError) as exc:
                out.skipped.append((safe, f"cannot be read ({exc})"))
                continue
            budget.take_bytes(len(blob))
            _add_blob(out, safe, blob, budget, depth)
    return out


def unpack(name: str, data: bytes, kind: str, limits: Limits) -> Unpacked:
    """The regular files inside an archive of `kind` (gzip, zip or tar), within the limits, or EvidenceError."""
    return _unpack_archive(name, data, kind, _Budget(limits), 1)
