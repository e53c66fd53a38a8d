"""Adaptive Cards the bot posts (the answer, the greeting) and the submissions it reads back from them."""
from .actions import CORRECTION, EXPLAIN, VOTE, Action, Correction, Explain, Vote, parse_action
from .answer import Extras, answer_card
from .elements import CARD_CONTENT_TYPE, CARD_VERSION, MAX_ACTIONS, MAX_CARD_BYTES, attachment, card_bytes

__all__ = [
    "CARD_CONTENT_TYPE", "CARD_VERSION", "CORRECTION", "EXPLAIN", "MAX_ACTIONS", "MAX_CARD_BYTES", "VOTE", "Action",
    "Correction", "Explain",
    "Extras", "Vote", "answer_card", "attachment", "card_bytes", "parse_action",
]
