"""The client IP: X-Forwarded-For is believed only from configured proxies, walked from the right."""

from __future__ import annotations

import pytest

from service.net import parse_networks, resolve_client_ip
from service.settings import Settings, SettingsError

PROXIES = parse_networks("10.0.0.0/8, 192.168.1.1, 2001:db8::/32")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # No trusted peer: the header is whatever the caller wrote, so it is ignored.
        ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),
        # One trusted proxy in front: its entry is the client.
        ("10.0.0.5", ["198.51.100.1"], "198.51.100.1"),
        # A client that forged an entry: the proxy appends the real one, which is taken.
        ("10.0.0.5", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),
        # Two of our proxies: skip both from the right.
        ("10.0.0.5", ["198.51.100.1, 192.168.1.1, 10.2.3.4"], "198.51.100.1"),
        # Several header lines count as one list, in order.
        ("10.0.0.5", ["6.6.6.6", "198.51.100.1, 10.9.9.9"], "198.51.100.1"),
        # Only our proxies: the request started inside; the left-most is the origin.
        ("10.0.0.5", ["10.1.1.1"], "10.1.1.1"),
        ("10.0.0.5", [], "10.0.0.5"),
        # Garbage written where our proxy should have written an address: stop at our last hop.
        ("10.0.0.5", ["198.51.100.1, not-an-ip"], "10.0.0.5"),
        # Ports and brackets, IPv6, IPv4-mapped IPv6.
        ("10.0.0.5", ["198.51.100.1:4711"], "198.51.100.1"),
        ("2001:db8::1", ["[2001:4860::8888]:443"], "2001:4860::8888"),
        ("::ffff:10.0.0.5", ["198.51.100.1"], "198.51.100.1"),
        (None, ["198.51.100.1"], "unknown"),
    ],
)
def test_client_ip(peer, forwarded, expected):
    assert resolve_client_ip(peer, forwarded, PROXIES) == expected


def test_trusted_proxies_come_from_the_environment():
    settings = Settings.from_env({"KYOSO_SECRET_KEY": "k" * 40, "KYOSO_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"})
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.0/8", "127.0.0.1/32"]
    assert Settings.from_env({"KYOSO_SECRET_KEY": "k" * 40}).trusted_proxies == ()


def test_a_bad_trusted_proxy_names_the_variable():
    with pytest.raises(SettingsError, match=r"KYOSO_TRUSTED_PROXIES.*'10\.0\.0\.300'"):
        Settings.from_env({"KYOSO_SECRET_KEY": "k" * 40, "KYOSO_TRUSTED_PROXIES": "10.0.0.300"})
