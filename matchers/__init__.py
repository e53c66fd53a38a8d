"""The diagnosis engine: knowledge base in, ranked diagnoses with evidence out. No I/O beyond the KB."""
from .engine import Engine, default_engine, diagnose
from .errors import InputError, KnowledgeBaseError, KnowledgeBaseErrors, MatcherError
from .knowledge_base import KnowledgeBase, load_knowledge_base
from .model import Diagnosis, Entry, Evidence, Outcome, Report

__all__ = [
    "Diagnosis", "Engine", "Entry", "Evidence", "InputError", "KnowledgeBase", "KnowledgeBaseError",
    "KnowledgeBaseErrors", "MatcherError", "Outcome", "Report", "default_engine", "diagnose",
    "load_knowledge_base",
]
