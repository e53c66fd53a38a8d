"""Shared state of the bot: the job queue (`jobs`), diagnoses, cases and feedback (`records`), the spaces greeted
(`spaces`), each thread's evidence (`threads`), on one database (`db`: SQLite or PostgreSQL)."""
from __future__ import annotations

from .db import SCHEMA_VERSION, StorageError
from .jobs import Job, Jobs
from .records import DiagnosisRecord, Feedback, NewDiagnosis, Records
from .spaces import Spaces
from .threads import Threads

__all__ = ["SCHEMA_VERSION", "DiagnosisRecord", "Feedback", "Job", "NewDiagnosis", "Storage", "StorageError"]


class Storage(Jobs, Records, Spaces, Threads):
    """Jobs, records, spaces and threads on one database; thread-safe."""
