"""Database access: the async engine, the per-request transaction, the embedded server."""

from service.db.engine import create_engine, session_factory

__all__ = ["create_engine", "session_factory"]
