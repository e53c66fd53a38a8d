"""Shared state of the bot: the job queue (`jobs`), diagnoses, cases and feedback (`records`), the spaces greeted
(`spaces`), on one database (`db`: SQLite or PostgreSQL)."""
from __future__ import annotations

from .db import SCHEMA_VERSION, StorageError
from .jobs import Job, Jobs
from .records import DiagnosisRecord, Feedback, NewDiagnosis, Records
from .spaces import Spaces

__all__ = ["SCHEMA_VERSION", "DiagnosisRecord", "Feedback", "Job", "NewDiagnosis", "Storage", "StorageError"]


class Storage(Jobs, Records, Spaces):
    """Jobs, records and spaces on one database; thread-safe."""
