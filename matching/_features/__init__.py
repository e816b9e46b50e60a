"""Feature building (internal): groups of investor and project fields, text and CF factors."""

from ._cf import CollaborativeFactors, interaction_matrix
from ._events import (
    BOOKMARK,
    COMMIT,
    DECLINE,
    INTEREST,
    KIND_GAIN,
    KIND_WEIGHT,
    VIEW,
    Interactions,
    encode_events,
    timestamp,
)
from ._space import INVESTOR_GROUPS, PROJECT_GROUPS, FeatureSpace, ticket_bin
from ._text import TextEncoder

__all__ = [
    "BOOKMARK",
    "COMMIT",
    "DECLINE",
    "INTEREST",
    "INVESTOR_GROUPS",
    "KIND_GAIN",
    "KIND_WEIGHT",
    "PROJECT_GROUPS",
    "VIEW",
    "CollaborativeFactors",
    "FeatureSpace",
    "Interactions",
    "TextEncoder",
    "encode_events",
    "interaction_matrix",
    "ticket_bin",
    "timestamp",
]
