"""Case tables for ``tests/service/test_bad_input.py``: one bad request per row, by endpoint."""
