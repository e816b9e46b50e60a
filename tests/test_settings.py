"""Settings come from KYOSO_* variables; a bad one stops start-up with one clear line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from service.cli import main
from service.settings import Settings, SettingsError


def test_defaults_use_the_embedded_database_and_persist_a_generated_secret(tmp_path):
    first = Settings.from_env({"KYOSO_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"KYOSO_DATA_DIR": str(tmp_path)})
    assert first.uses_embedded_database
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_url_is_normalised_to_asyncpg(tmp_path):
    settings = Settings.from_env(
        {"KYOSO_DATA_DIR": str(tmp_path), "KYOSO_DATABASE_URL": "postgres://u:p@db:5432/kyoso"}
    )
    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/kyoso"


def test_allowed_origins_are_a_comma_list(tmp_path):
    settings = Settings.from_env(
        {"KYOSO_DATA_DIR": str(tmp_path), "KYOSO_ALLOWED_ORIGINS": "https://a.example.jp, https://b.example.jp"}
    )
    assert settings.allowed_origins == ("https://a.example.jp", "https://b.example.jp")


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("KYOSO_DATABASE_URL", "mysql://x", "KYOSO_DATABASE_URL"),
        ("KYOSO_LOG_LEVEL", "LOUD", "KYOSO_LOG_LEVEL"),
        ("KYOSO_SECRET_KEY", "short", "KYOSO_SECRET_KEY"),
        ("KYOSO_TOKEN_TTL_SECONDS", "soon", "KYOSO_TOKEN_TTL_SECONDS"),
        ("KYOSO_TOKEN_TTL_SECONDS", "5", "KYOSO_TOKEN_TTL_SECONDS"),
        ("KYOSO_COOKIE_SECURE", "maybe", "KYOSO_COOKIE_SECURE"),
        ("KYOSO_ALLOWED_ORIGINS", "example.jp", "KYOSO_ALLOWED_ORIGINS"),
        ("KYOSO_OIDC_ISSUER", "https://idp.example.jp", "KYOSO_OIDC_CLIENT_ID"),
    ],
)
def test_bad_setting_names_the_variable(tmp_path, name, value, fragment):
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env({"KYOSO_DATA_DIR": str(tmp_path), name: value})


def test_cli_stops_with_one_line_on_a_bad_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("KYOSO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KYOSO_LOG_LEVEL", "LOUD")
    result = CliRunner().invoke(main, ["migrate", "current"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "KYOSO_LOG_LEVEL" in lines[0]
