"""The diagnosis engine: evidence in (a message and its files), ranked diagnoses with evidence out.

No I/O beyond reading the knowledge base: files arrive as bytes, screenshots are read by the OCR function the
caller passes to `read_evidence`.
"""
from .engine import Engine, default_engine, diagnose
from .errors import InputError, KnowledgeBaseError, KnowledgeBaseErrors, MatcherError
from .evidence.archives import EvidenceError, Limits
from .evidence.intake import EvidencePiece, Intake, read_evidence
from .evidence.model import Fact
from .knowledge_base import KnowledgeBase, load_knowledge_base
from .model import Diagnosis, Entry, Evidence, Outcome, Report

__all__ = [
    "Diagnosis", "Engine", "Entry", "Evidence", "EvidenceError", "EvidencePiece", "Fact", "InputError", "Intake",
    "KnowledgeBase", "KnowledgeBaseError", "KnowledgeBaseErrors", "Limits", "MatcherError", "Outcome", "Report",
    "default_engine", "diagnose", "load_knowledge_base", "read_evidence",
]
