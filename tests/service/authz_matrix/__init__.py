"""The authorization matrix of ``tests/service/test_authorization_matrix.py``: its rows, the request
bodies they send, and the arrangement of the impact, claims and audit rows."""
