"""The accessibility statement's facts (alkedash/accessibility.py) and its feedback contact setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alkedash import accessibility, settings
from alkedash.translation import translator

ROOT = Path(__file__).resolve().parent.parent


def test_the_conformance_is_a_known_level_and_partial_while_gaps_remain() -> None:
    assert accessibility.CONFORMANCE in accessibility.CONFORMANCE_TEXTS
    if accessibility.KNOWN_GAPS:
        assert accessibility.CONFORMANCE != "full"
    assert accessibility.PREPARED <= accessibility.UPDATED


@pytest.mark.parametrize("gap", accessibility.KNOWN_GAPS, ids=lambda g: g.text[:30])
def test_every_gap_names_real_wcag_criteria_and_reads_in_three_languages(gap: accessibility.Gap) -> None:
    assert all(re.fullmatch(r"[1-4]\.\d{1,2}\.\d{1,2}", c) for c in gap.criteria)
    texts = {translator(lang=lang)(gap.text) for lang in ("fi", "sv", "en")}
    assert len(texts) == 3  # translated (tests/test_translation.py names any that is missing)


def test_the_supervisor_has_a_site_in_each_language() -> None:
    assert set(accessibility.SUPERVISOR.websites) == {"fi", "sv", "en"}
    assert all(url.startswith("https://") for url in accessibility.SUPERVISOR.websites.values())


def test_the_readme_points_to_where_the_gaps_are_kept() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "alkedash/accessibility.py" in readme and "ALKEDASH_ACCESSIBILITY_CONTACT" in readme


@pytest.fixture
def no_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "none.toml")
    for name in ("ALKEDASH_ACCESSIBILITY_CONTACT", "ALKEDASH_CONTACT_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    settings._settings.cache_clear()


@pytest.mark.parametrize(
    ("own", "privacy", "expected"),
    [
        ("saavutettavuus@alke.invalid", "alke@example.invalid", "saavutettavuus@alke.invalid"),
        (None, "alke@example.invalid", "alke@example.invalid"),
        ("  ", "alke@example.invalid", "alke@example.invalid"),
        (None, None, None),
    ],
)
def test_the_feedback_contact_falls_back_to_the_privacy_contact(
    no_secrets: None, monkeypatch: pytest.MonkeyPatch, own: str | None, privacy: str | None, expected: str | None
) -> None:
    if own is not None:
        monkeypatch.setenv("ALKEDASH_ACCESSIBILITY_CONTACT", own)
    if privacy is not None:
        monkeypatch.setenv("ALKEDASH_CONTACT_EMAIL", privacy)
    assert settings.load_settings().accessibility_contact == expected
