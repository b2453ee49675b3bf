from __future__ import annotations

from pathlib import Path

import pytest

from alkedash import settings


@pytest.fixture
def secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secrets.toml"
    monkeypatch.setattr(settings, "SECRETS_FILE", path)
    for var in ("ALKEDASH_FACILITATOR_PASSWORD", "ALKEDASH_DATABASE_URL", "ALKEDASH_PUBLIC_URL"):
        monkeypatch.delenv(var, raising=False)
    return path


def test_defaults_need_no_configuration(secrets_file: Path) -> None:
    s = settings.load_settings()
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("var/alkedash.db")
    assert s.facilitator_password is None


@pytest.mark.parametrize(
    "content",
    [
        'facilitator_password = "s3cret"',
        'ALKEDASH_FACILITATOR_PASSWORD = "s3cret"',
        '[alkedash]\nfacilitator_password = "s3cret"',
    ],
)
def test_the_password_can_come_from_the_secrets_file(secrets_file: Path, content: str) -> None:
    secrets_file.write_text(content)
    pw = settings.load_settings().facilitator_password
    assert pw is not None and pw.get_secret_value() == "s3cret"


def test_the_environment_wins_over_the_secrets_file(secrets_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets_file.write_text('facilitator_password = "from-file"\npublic_url = "https://file"')
    monkeypatch.setenv("ALKEDASH_FACILITATOR_PASSWORD", "from-env")
    s = settings.load_settings()
    assert s.facilitator_password is not None and s.facilitator_password.get_secret_value() == "from-env"
    assert s.public_url == "https://file"


def test_the_password_never_shows_in_a_printed_settings_object(
    secrets_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALKEDASH_FACILITATOR_PASSWORD", "hunter2")
    assert "hunter2" not in repr(settings.load_settings())


def test_settings_are_read_once_and_again_when_what_they_come_from_changes(
    secrets_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = settings.load_settings()
    assert settings.load_settings() is first
    monkeypatch.setenv("ALKEDASH_PUBLIC_URL", "https://alke.example")
    assert settings.load_settings().public_url == "https://alke.example"
    secrets_file.write_text('facilitator_password = "later"')
    pw = settings.load_settings().facilitator_password
    assert pw is not None and pw.get_secret_value() == "later"
