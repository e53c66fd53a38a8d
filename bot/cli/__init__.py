"""The command line: `python -m bot <command>`."""
from .main import main

__all__ = ["main"]
