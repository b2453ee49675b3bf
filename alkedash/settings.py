"""One typed settings object, read from the environment and `.streamlit/secrets.toml`.

Secrets never live in the repository: the environment wins, then the secrets file that
`make run` creates on first start (git-ignored).
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
# "a@b.fi,@c.fi" in the environment (NoDecode: not read as JSON), a string or a list in the secrets file.
AddressList = Annotated[tuple[str, ...], NoDecode]


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
    # Single sign-on (an [auth] section in the secrets file): who gets which role, by the e-mail address
    # the identity provider gives; full addresses or "@domain.fi" for a whole domain (alkedash.access).
    facilitator_emails: AddressList = ()
    organiser_emails: AddressList = ()
    # Shown in the privacy notice as the address for questions about the data.
    contact_email: str | None = None
    # Shown in the accessibility statement as where to send accessibility feedback (an e-mail address,
    # or a web form's address); without it, the privacy contact above.
    accessibility_contact: str | None = None
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
    # Per phone and minute, counted in each process's memory (alkedash.intake, alkedash.throttle);
    # more is refused with "wait N s". Only a load generator playing many phones needs them higher.
    answers_per_minute: int = Field(default=12, ge=1)
    upvotes_per_minute: int = Field(default=40, ge=1)
    # Per client address (a venue's wifi is one address for the whole room).
    joins_per_minute: int = Field(default=200, ge=1)

    @field_validator("facilitator_emails", "organiser_emails", mode="before")
    @classmethod
    def _addresses(cls, value: Any) -> tuple[str, ...]:
        """Lower-cased and checked, so that a typo stops the app at start instead of silently
        keeping a facilitator out on the day."""
        items = value.split(",") if isinstance(value, str) else list(value or ())
        entries = tuple(str(item).strip().lower() for item in items if str(item).strip())
        for entry in entries:
            local, at, domain = entry.rpartition("@")
            if not at or "@" in local or not domain or any(ch.isspace() for ch in entry):
                raise ValueError(f"{entry!r} is neither an address (name@domain.fi) nor a domain (@domain.fi)")
        return entries

    @model_validator(mode="after")
    def _accessibility_contact(self) -> Settings:
        if not (self.accessibility_contact or "").strip():
            self.accessibility_contact = self.contact_email
        return self

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
