"""Reuse the shared-world fixtures of tests/service for the review's own tests."""

from tests.service.conftest import module_app, module_connection, module_world  # noqa: F401
