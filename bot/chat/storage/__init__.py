"""Shared state of the bot: the job queue (`jobs`), diagnoses, cases and feedback (`records`), on one database
(`db`: SQLite or PostgreSQL)."""
from __future__ import annotations

from .db import SCHEMA_VERSION, StorageError
from .jobs import Job, Jobs
from .records import DiagnosisRecord, Feedback, NewDiagnosis, Records

__all__ = ["SCHEMA_VERSION", "DiagnosisRecord", "Feedback", "Job", "NewDiagnosis", "Storage", "StorageError"]


class Storage(Jobs, Records):
    """Jobs and records on one database; thread-safe."""
