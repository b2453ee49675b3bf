"""Passwords kept as hashes, compared in constant time; roles; the lock after wrong guesses."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from alkedash import __main__ as cli
from alkedash import access
from tests.conftest import FakeClock

FAST = 1000  # iterations for tests; the real hashes use access.ITERATIONS


@pytest.mark.parametrize(
    ("held", "needed", "granted"),
    [
        ("facilitator", "facilitator", True),
        ("facilitator", "organiser", False),
        ("organiser", "facilitator", True),
        ("organiser", "organiser", True),
        (None, "facilitator", False),
        ("participant", "facilitator", False),
    ],
)
def test_an_organiser_has_every_facilitator_right_and_not_the_other_way(
    held: str | None, needed: str, granted: bool
) -> None:
    assert access.grants(held=held, needed=needed) is granted


def test_a_hash_keeps_no_trace_of_the_password_and_verifies_only_it() -> None:
    stored = access.hash_password(password="Sisu-2025", iterations=FAST)
    assert "Sisu" not in stored and stored.startswith("pbkdf2_sha256$1000$")
    assert access.verify(password="Sisu-2025", stored=stored)
    assert not access.verify(password="sisu-2025", stored=stored)
    assert stored != access.hash_password(password="Sisu-2025", iterations=FAST)  # a new salt every time


@pytest.mark.parametrize(
    ("password", "stored", "ok"),
    [
        ("plain", "plain", True),  # a plain password from the environment still works
        ("plain", "Plain", False),
        ("", "", False),  # nothing configured opens nothing
        ("x", "pbkdf2_sha256$1000$zz$00", False),  # a damaged hash matches nothing
        ("x", "pbkdf2_sha256$1000", False),
    ],
)
def test_verify_handles_plain_values_and_damaged_hashes(password: str, stored: str, ok: bool) -> None:
    assert access.verify(password=password, stored=stored) is ok


def test_the_role_is_the_one_whose_password_was_given() -> None:
    stored = {
        "facilitator": access.hash_password(password="fasi", iterations=FAST),
        "organiser": access.hash_password(password="jarj", iterations=FAST),
    }
    assert access.role_for(password="fasi", stored=stored) == "facilitator"
    assert access.role_for(password="jarj", stored=stored) == "organiser"
    assert access.role_for(password="muu", stored=stored) is None
    assert access.role_for(password="fasi", stored={"facilitator": None, "organiser": None}) is None


def test_five_wrong_guesses_lock_that_client_and_no_other_until_the_window_passes(clock: FakeClock) -> None:
    lock = access.Lockout(limit=5, window=900.0, clock=clock)
    for _ in range(4):
        lock.failed(key="a")
        clock.now += 10
    assert lock.wait(key="a") == 0.0
    lock.failed(key="a")
    assert lock.wait(key="a") == pytest.approx(900.0 - 40.0)
    assert lock.wait(key="b") == 0.0
    clock.now += 861
    assert lock.wait(key="a") == 0.0


def test_a_right_password_forgets_the_wrong_guesses(clock: FakeClock) -> None:
    lock = access.Lockout(limit=3, window=60.0, clock=clock)
    lock.failed(key="a")
    lock.failed(key="a")
    lock.succeeded(key="a")
    lock.failed(key="a")
    assert lock.wait(key="a") == 0.0


@pytest.mark.parametrize(
    ("address", "forwarded", "trust", "same_as"),
    [
        ("10.0.0.5", None, False, "10.0.0.5"),
        ("10.0.0.5", "6.6.6.6", False, "10.0.0.5"),  # a header the client wrote is not believed
        ("127.0.0.1", "6.6.6.6, 192.0.2.7", True, "192.0.2.7"),  # behind nginx: the hop nginx added
        (None, None, False, "session:s1"),
    ],
)
def test_a_guess_counts_against_the_real_client(
    address: str | None, forwarded: str | None, trust: bool, same_as: str
) -> None:
    key = access.client_key(address=address, forwarded_for=forwarded, trust_proxy=trust, session="s1")
    assert key == access.client_key(address=same_as, forwarded_for=None, trust_proxy=False, session="")
    assert same_as not in key  # hashed: the address is not kept


def test_init_secrets_shows_each_password_once_and_keeps_only_its_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets_file = tmp_path / ".streamlit" / "secrets.toml"
    monkeypatch.setattr(cli, "SECRETS_FILE", secrets_file)
    assert cli.main(["init-secrets"]) == 0
    shown = dict(re.findall(r"^(Facilitator|Organiser) password: (\S+)$", capsys.readouterr().out, re.M))
    kept = tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    assert set(kept) == {"facilitator_password", "organiser_password"}
    for role, password in (("facilitator", shown["Facilitator"]), ("organiser", shown["Organiser"])):
        assert password not in secrets_file.read_text(encoding="utf-8")
        assert access.verify(password=password, stored=kept[f"{role}_password"])
    assert secrets_file.stat().st_mode & 0o777 == 0o600


def test_init_secrets_adds_a_missing_organiser_password_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('facilitator_password = "old-plain"\n', encoding="utf-8")
    monkeypatch.setattr(cli, "SECRETS_FILE", secrets_file)
    assert cli.main(["init-secrets"]) == 0
    out = capsys.readouterr().out
    assert "Organiser password:" in out and "Facilitator password:" not in out
    kept = tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    assert kept["facilitator_password"] == "old-plain"
    assert kept["organiser_password"].startswith("pbkdf2_sha256$")
    assert cli.main(["init-secrets"]) == 0
    assert "has both passwords" in capsys.readouterr().out


FACILITATORS = ("fasi@alke.fi", "@kunta.fi")
ORGANISERS = ("Jarjestaja@TEM.fi", "@vm.fi", "paallikko@kunta.fi")


@pytest.mark.parametrize(
    ("email", "verified", "role"),
    [
        ("fasi@alke.fi", True, "facilitator"),  # a full address
        ("FASI@Alke.FI", None, "facilitator"),  # any case; a provider that sends no email_verified
        ("  fasi@alke.fi ", True, "facilitator"),
        ("kuka.tahansa@kunta.fi", True, "facilitator"),  # "@kunta.fi" takes the whole domain
        ("jarjestaja@tem.fi", True, "organiser"),
        ("ministeri@VM.fi", True, "organiser"),
        ("paallikko@kunta.fi", True, "organiser"),  # on both lists: the stronger role
        ("fasi@alke.fi", False, None),  # the provider says it has not verified the address
        ("ministeri@vm.fi", False, None),
        ("muu@alke.fi", True, None),  # the same domain is not the same address
        ("fasi@alke.fi.evil.example", True, None),
        ("x@sub.kunta.fi", True, None),  # a domain entry is that domain, not its subdomains
        ("x@kunta.fi.evil.example", True, None),
        ("kunta.fi", True, None),  # no "@": not an address
        ("@kunta.fi", True, None),  # no one before the "@"
        ("fasi@alke.fi@evil.example", True, None),
        ("", True, None),
        (None, True, None),  # the provider gave no address at all
    ],
)
def test_single_sign_on_gives_the_role_the_address_lists_name(
    email: str | None, verified: bool | None, role: str | None
) -> None:
    assert (
        access.role_for_email(email=email, verified=verified, facilitators=FACILITATORS, organisers=ORGANISERS) == role
    )


def test_without_address_lists_single_sign_on_opens_nothing() -> None:
    assert access.role_for_email(email="fasi@alke.fi", verified=True, facilitators=(), organisers=()) is None


def test_the_address_lists_come_from_the_environment_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    from alkedash.settings import Settings

    monkeypatch.setenv("ALKEDASH_FACILITATOR_EMAILS", " Fasi@Alke.fi, @KUNTA.fi ,")
    monkeypatch.setenv("ALKEDASH_ORGANISER_EMAILS", "jarjestaja@tem.fi")
    found = Settings()
    assert found.facilitator_emails == ("fasi@alke.fi", "@kunta.fi")
    assert found.organiser_emails == ("jarjestaja@tem.fi",)
    assert Settings(facilitator_emails=["A@b.fi"]).facilitator_emails == ("a@b.fi",)  # a TOML list


@pytest.mark.parametrize("typo", ["kunta.fi", "fasi alke@x.fi", "fasi@", "a@b@c.fi"])
def test_a_mistyped_address_entry_stops_the_app_at_start(monkeypatch: pytest.MonkeyPatch, typo: str) -> None:
    from pydantic import ValidationError

    from alkedash.settings import Settings

    monkeypatch.setenv("ALKEDASH_ORGANISER_EMAILS", f"ok@tem.fi,{typo}")
    with pytest.raises(ValidationError, match="neither an address"):
        Settings()
