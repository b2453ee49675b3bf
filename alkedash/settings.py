"""One typed settings object, read from the environment and `.streamlit/secrets.toml`.

Secrets never live in the repository: the environment wins, then the secrets file that
`make run` creates on first start (git-ignored).
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


class _SecretsFile(PydanticBaseSettingsSource):
    """Reads settings from Streamlit's secrets file: top-level keys (optionally `alkedash_`-prefixed)
    or an `[alkedash]` table."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = SECRETS_FILE
        if not path.is_file():
            return {}
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        table = raw.get("alkedash", {})
        values = {k.lower().removeprefix("alkedash_"): v for k, v in raw.items() if not isinstance(v, dict)}
        values.update({k.lower(): v for k, v in table.items()})
        return {k: v for k, v in values.items() if k in Settings.model_fields}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALKEDASH_", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{ROOT / 'var' / 'alkedash.db'}")
    # A PBKDF2 hash from `python -m alkedash init-secrets` (alkedash.access), or a plain password.
    facilitator_password: SecretStr | None = None
    organiser_password: SecretStr | None = None
    # Shown in the privacy notice as the address for questions about the data.
    contact_email: str | None = None
    # Behind our nginx (scaled mode): believe the address nginx adds to X-Forwarded-For.
    trusted_proxy: bool = False
    # The address phones use to reach the app; printed under the QR code on the screen.
    public_url: str = "http://localhost:8501"
    # Which event of data/events/ runs when a visitor arrives without a join code.
    event: str = "alke-2025"
    # A participant counts as "present" for this long after their last action.
    presence_minutes: int = Field(default=30, ge=1, le=24 * 60)
    screen_refresh_seconds: float = Field(default=3.0, ge=1.0, le=60.0)
    phone_refresh_seconds: float = Field(default=10.0, ge=2.0, le=120.0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _SecretsFile(settings_cls)


def load_settings() -> Settings:
    """Every rerun of every phone asks for the settings; parsing them costs about 1 ms, so they are
    kept until what they are read from changes (an ALKEDASH_ variable or the secrets file)."""
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("ALKEDASH_")))
    stamp: tuple[str, int | None]
    try:
        stamp = (str(SECRETS_FILE), SECRETS_FILE.stat().st_mtime_ns)
    except OSError:
        stamp = (str(SECRETS_FILE), None)
    return _settings(env=env, secrets_stamp=stamp)


@functools.lru_cache(maxsize=4)
def _settings(*, env: tuple[tuple[str, str], ...], secrets_stamp: tuple[str, int | None]) -> Settings:
    return Settings()
