"""The one module that imports streamlit: cached engine and content, the role gate, shared widgets."""

from __future__ import annotations

import base64
import functools
import gc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine
from streamlit import config as st_config
from streamlit.runtime import app_session as st_app_session
from streamlit.runtime import runtime as st_runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner import script_runner as st_script_runner

from alkedash import access, events, intake, language, live, runtime, series, translation
from alkedash.content import LANGS, Catalogue, ContentError, Event, load_catalogue
from alkedash.db import make_engine, migrate
from alkedash.messages import message
from alkedash.settings import Settings, load_settings
from alkedash.translation import LANGUAGE_NAMES, N_

if TYPE_CHECKING:  # scikit-learn is imported by the pages that group ideas, not by every phone
    from alkedash.topics import Idea, IdeaGroup

ROLE_KEY = "alkedash_role"

# The browser tab's icon as a data URL, made once. A file path would be registered with Streamlit's
# media file manager on every run of every session, and each run then scans all sessions' files for
# orphans: 3 % of the server's busy time at 500 phones (py-spy), growing with the phones. A Material
# icon would be fetched from Google.
FAVICON = "data:image/png;base64," + base64.b64encode(
    (Path(__file__).resolve().parent.parent / "assets" / "icon.png").read_bytes()
).decode("ascii")
# In the server process from the first page view on (see alkedash/runtime.py).
runtime.tune(streamlit_runtime=st_runtime, app_session=st_app_session, script_runner=st_script_runner, config=st_config)


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def _catalogue() -> Catalogue:
    return load_catalogue()


def catalogue() -> Catalogue:
    """Validated content; a broken data file stops the page with the file and field named."""
    try:
        return _catalogue()
    except ContentError as exc:
        heading = translation.translator(lang=lang())("Sisältötiedostossa on virhe:")
        st.error(f"{heading}\n\n```\n{exc}\n```")
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_resource(show_spinner=False, on_release=lambda engine: engine.dispose())
def _engine(url: str) -> Engine:
    engine = make_engine(url=url)
    migrate(engine=engine)
    language.warm_up()  # load the Finnish dictionary now, not on the first word-cloud refresh
    limits = settings()
    intake.SUBMITS.limit, intake.UPVOTES.limit = limits.answers_per_minute, limits.upvotes_per_minute
    intake.JOINS.limit = limits.joins_per_minute
    # Streamlit compiles its emoji table on the first alert with an icon: 0.25 s holding the GIL,
    # which every phone felt on the first "saved" of the day (py-spy). Pay it here.
    import streamlit.emojis  # noqa: F401

    events.seed(engine=engine, catalogue=_catalogue())  # data/events where new; every event's live state
    series.seed(engine=engine)  # data/series where new: the timeline's series and milestones
    # The dictionaries are millions of long-lived objects: keep Python's collector from walking them
    # again and again (runner.postScriptGC is off in .streamlit/config.toml for the same reason).
    gc.collect()
    gc.freeze()
    return engine


def engine() -> Engine:
    """One engine per process and database URL, migrated and seeded on first use."""
    catalogue()
    try:
        return _engine(settings().database_url)
    except ContentError as exc:  # a broken data/series file: named, not a traceback
        heading = translation.translator(lang=lang())("Sisältötiedostossa on virhe:")
        st.error(f"{heading}\n\n```\n{exc}\n```")
        st.stop()
        raise


def sticky_param(name: str) -> str | None:
    """A query parameter that survives moving between views: Streamlit's navigation drops the
    query string, so the value is also kept in the session and put back into the URL."""
    value = query_param(name) or st.session_state.get(f"param-{name}")
    if value:
        st.session_state[f"param-{name}"] = value
        if query_param(name) != value:
            st.query_params[name] = value
    return value


def lang() -> str:
    value = sticky_param("lang") or "fi"
    return value if value in LANGS else "fi"


def t(key: str, **params: object) -> str:
    return message(key=key, lang=lang(), **params)


def translator(*, lang: str) -> Callable[..., str]:
    """`t` for one language: a page that has read the language once need not read the URL again
    for each of its strings (the phone's submit run looked it up three times)."""
    return functools.partial(_message_in, lang)


def _message_in(lang: str, key: str, /, **params: object) -> str:
    return message(key=key, lang=lang, **params)


def event_from_url() -> Event | None:
    """The event the URL's join code names, else the configured default event."""
    store = engine()
    code = sticky_param("code")
    if code:
        return events.by_code(engine=store, join_code=code)
    return events.default(engine=store, preferred=settings().event)


def require_event() -> Event:
    """The URL's event, or a clear message in the visitor's language and nothing else."""
    event = event_from_url()
    if event is None:
        st.error(t("unknown_event"))
        st.stop()
        raise AssertionError  # unreachable: st.stop() raises
    return event


# --- roles --------------------------------------------------------------------------------------


# Marked here, translated where shown: `_(ui.ROLE_NAMES[role])`.
ROLE_NAMES = {"facilitator": N_("fasilitaattori"), "organiser": N_("järjestäjä")}
SIGNED_IN = {"facilitator": N_("Olet kirjautunut fasilitaattorina."), "organiser": N_("Olet kirjautunut järjestäjänä.")}
REFUSALS = {
    "facilitator": N_("Tämä sivu on vain fasilitaattoreille. Kirjaudu sisään."),
    "organiser": N_("Tämä sivu on vain järjestäjille. Kirjaudu sisään järjestäjän salasanalla."),
}


# What `st.login()` needs in the [auth] section of the secrets for its default provider.
SSO_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class SignOn:
    """Who the organisation's single sign-on says is at this browser (from `st.user`)."""

    email: str | None
    verified: bool | None  # the `email_verified` claim; None when the provider does not send it


def sso_configured() -> bool:
    """Is single sign-on set up: an [auth] section with all that `st.login()` needs for its default
    provider? Without it the login page offers passwords only."""
    if not st.secrets.load_if_toml_exists():
        return False
    section = st.secrets.get("auth")
    return isinstance(section, Mapping) and all(section.get(key) for key in SSO_KEYS)


def sso_user() -> SignOn | None:
    """The person signed in through single sign-on, or None. `st.user` is read as a dict: its
    `is_logged_in` exists only when [auth] is configured, and AppTest's default user has an e-mail
    address but is not signed in."""
    info = st.user.to_dict()
    if info.get("is_logged_in") is not True:
        return None
    email, claim = info.get("email"), info.get("email_verified")
    verified = None if claim is None else (claim is True or str(claim).lower() == "true")  # some send "true"
    return SignOn(email=email if isinstance(email, str) else None, verified=verified)


def sso_role(*, user: SignOn) -> str | None:
    """The role the configured address lists give this person (alkedash.access.role_for_email)."""
    lists = settings()
    return access.role_for_email(
        email=user.email,
        verified=user.verified,
        facilitators=lists.facilitator_emails,
        organisers=lists.organiser_emails,
    )


def role() -> str | None:
    """The role this browser session signed in with: a password's, else that of the single sign-on
    address (which lasts across page loads, in Streamlit's signed cookie)."""
    held = st.session_state.get(ROLE_KEY)
    if held:
        return str(held)
    user = sso_user()
    return sso_role(user=user) if user is not None else None


def actor() -> str:
    """Who the moderation log names: the single sign-on address when that is how this person got in,
    else the role (a shared password says no more)."""
    held = st.session_state.get(ROLE_KEY)
    if held:
        return str(held)
    user = sso_user()
    return user.email if user is not None and user.email else "unknown"


def has_role(needed: str) -> bool:
    """An organiser has every facilitator right as well."""
    return access.grants(held=role(), needed=needed)


def stored_passwords() -> dict[str, str | None]:
    found = settings()
    secrets_ = {"facilitator": found.facilitator_password, "organiser": found.organiser_password}
    return {r: (v.get_secret_value() or None) if v is not None else None for r, v in secrets_.items()}


def client() -> str:
    """Whom a join or a password guess counts against: the address (hashed, in memory only), else the
    browser session (alkedash.access.client_key)."""
    context = get_script_run_ctx()
    address, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    return access.client_key(
        address=address if isinstance(address, str) else None,  # not a string under AppTest
        forwarded_for=forwarded if isinstance(forwarded, str) else None,
        trust_proxy=settings().trusted_proxy,
        session=context.session_id if context is not None else "",
    )


def log_in(*, password: str) -> tuple[str | None, float]:
    """(the role the password opens, 0) or (None, seconds this client must wait before trying again)."""
    key = client()
    wait = access.LOCKOUT.wait(key=key)
    if wait:
        return None, wait
    found = access.role_for(password=password, stored=stored_passwords())
    if found is None:
        access.LOCKOUT.failed(key=key)
        return None, access.LOCKOUT.wait(key=key)
    access.LOCKOUT.succeeded(key=key)
    st.session_state[ROLE_KEY] = found
    return found, 0.0


def erase_event(*, event: Event) -> dict[str, int]:
    """Every row of the event deleted (alkedash.archive.erase), then a fresh, empty live state."""
    from alkedash import archive  # organisers only: the phones never load it

    gone = archive.erase(engine=engine(), event_slug=event.slug)
    live.ensure_event(engine=engine(), event=event)
    return gone


def log_out() -> NoReturn:
    """Out of both ways in, the password's role and single sign-on, so that nobody at a shared laptop
    is left signed in by the other one. Ends the run: the page is drawn again signed out, or, after
    single sign-on, the browser goes to Streamlit's /auth/logout, which clears its cookie and comes
    back to the home page (a rerun would drop that redirect before it was sent)."""
    st.session_state.pop(ROLE_KEY, None)
    if sso_user() is not None:
        st.logout()
        st.stop()
    st.rerun()


def require_role(needed: str) -> None:
    """Second line of defence: a page reached without the role renders nothing but a refusal."""
    if not has_role(needed):
        _ = translation.translator(lang=lang())
        st.error(_(REFUSALS[needed]))
        st.stop()


# --- shared widgets -----------------------------------------------------------------------------


def chart_with_table(
    *,
    figure: go.Figure,
    table: pd.DataFrame,
    key: str,
    table_label: str | None = None,
    csv_name: str | None = None,
) -> None:
    """Every chart has its data beside it, as a table a screen reader can read, and, with `csv_name`,
    as a CSV file. The expander is labelled "Taulukko" in the visitor's language unless told otherwise."""
    if table_label is None:
        table_label = translation.translator(lang=lang())("Taulukko")
    # theme=None: our own colours and patterns, not Streamlit's, so room and stream stay distinguishable.
    st.plotly_chart(figure, key=f"chart-{key}", theme=None, config={"displayModeBar": False})
    with st.expander(table_label):
        st.dataframe(table, hide_index=True, key=f"table-{key}")
        if csv_name:
            csv_download(table=table, name=csv_name, key=f"csv-{key}")


def csv_download(*, table: pd.DataFrame, name: str, key: str, label: str | None = None) -> None:
    """A table as a CSV file (alkedash.tables.csv_bytes: Excel opens ä and ö right and runs no
    participant's text as a formula); the button says "Lataa CSV" in the visitor's language unless
    told otherwise."""
    from alkedash import tables  # spreadsheet writers: the analysis page needs them, phones do not

    st.download_button(
        label if label is not None else translation.translator(lang=lang())("Lataa CSV"),
        data=tables.csv_bytes(table=table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def idea_group_list(*, groups: Sequence[IdeaGroup], ideas: Sequence[Idea], key: str) -> None:
    """Idea groups as the facilitator reads them: the group's words, its size, its three most
    typical ideas (as plain text: participants wrote them), and the rest behind a toggle."""
    _ = translation.translator(lang=lang())
    text = {i.id: i.text for i in ideas}
    labelled = [g for g in groups if g.label]
    if not labelled:
        st.caption(_("Ideoissa ei vielä ole yhteisiä sanoja, joiden mukaan ryhmitellä."))
    for n, group in enumerate(labelled, start=1):
        with st.container(border=True):
            size = _.ngettext("{n} idea", "{n} ideaa", group.size)
            st.markdown(f"**{n}. {' · '.join(plain(w) for w in group.label)}** — {size}")
            for idea_id in group.representatives:
                st.text(f"• {text[idea_id]}")
            others = [i for i in group.idea_ids if i not in group.representatives]
            if others and st.toggle(_("Näytä loput {n}", n=len(others)), key=f"{key}-more-{n}"):
                for idea_id in others:
                    st.text(f"• {text[idea_id]}")
    rest = next((g for g in groups if not g.label), None)
    if rest is not None:
        st.caption(
            _.ngettext(
                "Ryhmittelemättä {n} idea (ei yhteisiä sanoja muiden kanssa).",
                "Ryhmittelemättä {n} ideaa (ei yhteisiä sanoja muiden kanssa).",
                rest.size,
            )
        )


def plain(word: str) -> str:
    """A word shown in markdown as typed: every markdown character escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()#+-.!|<>~$:" else ch for ch in word)


# --- language ------------------------------------------------------------------------------------

PICKER_KEY = "lang-global"
PICKER_LABEL = "Kieli / Språk / Language"  # the same in every language: whoever cannot read the page finds it
# At the top right, in Streamlit's header bar beside the navigation (fixed: it moves no content); the
# navigation keeps clear of it (what does not fit goes into its own overflow menu). On a phone the header
# holds only the menu button at the left, so the picker fits there too, a little smaller.
PICKER_CSS = """
.st-key-lang-picker {position: fixed; top: .55rem; right: 3.25rem; z-index: 999991; width: auto;}
.st-key-lang-picker [data-testid="stButtonGroup"] button {min-height: 2rem; padding: .1rem .6rem;}
header [data-testid="stToolbar"] {padding-right: 17rem;}
@media (max-width: 640px) {
  .st-key-lang-picker {right: .5rem;}
  header [data-testid="stToolbar"] {padding-right: 0;}
  .st-key-lang-picker [data-testid="stButtonGroup"] button {padding: .1rem .45rem; font-size: .85rem;}
}
"""


def _language_picked() -> None:
    """Before the rerun: the URL's `lang` (which `lang()` reads) and the join page's own picker follow."""
    chosen = st.session_state.get(PICKER_KEY)
    if chosen not in LANGS:
        return
    st.query_params["lang"] = chosen
    st.session_state["param-lang"] = chosen


def language_picker() -> None:
    """Suomi / Svenska / English for every page (app.py draws it before the page). It shows the language
    `lang()` reads, however that was chosen: here or in the URL."""
    current = lang()
    if st.session_state.get(PICKER_KEY) != current:
        st.session_state[PICKER_KEY] = current  # before the widget exists: no default, so no conflict
    css(PICKER_CSS)
    with st.container(key="lang-picker", width="content"):
        st.segmented_control(
            PICKER_LABEL,
            options=list(LANGS),
            format_func=LANGUAGE_NAMES.__getitem__,
            required=True,
            key=PICKER_KEY,
            on_change=_language_picked,
            label_visibility="collapsed",
        )


def footer_links(*, lang: str) -> None:
    """Links to the privacy notice and the accessibility statement, for a page without the navigation
    bar; their labels in `lang`, and the language kept in the link."""
    _ = translation.translator(lang=lang)
    with st.container(horizontal=True, gap="medium"):
        st.page_link("views/privacy.py", label=_("Tietosuoja"), icon=":material/shield:", query_params={"lang": lang})
        st.page_link(
            "views/accessibility.py",
            label=_("Saavutettavuusseloste"),
            icon=":material/accessibility_new:",
            query_params={"lang": lang},
        )


def css(rules: str) -> None:
    st.html(f"<style>{rules}</style>")


# WCAG 2.1 AA where .streamlit/config.toml cannot reach (tests/test_accessibility.py runs axe-core):
# Streamlit fades a caption with `opacity: 0.6`, which takes the default text to #828180 on white
# (3.9:1) and a link or code inside it below 3:1. A caption is drawn at full opacity in a grey of
# 8.9:1 on white (8:1 on the secondary background) instead; links and code inside it then have the
# theme's linkColor and codeTextColor.
# On a phone the navigation is in a collapsed sidebar, moved off the screen but still in the tab
# order: the first Tab put the focus on links nobody can see (WCAG 2.4.7). Hidden, they are out of the
# tab order and the accessibility tree until the sidebar is opened.
# The element that holds page_lang's script takes no room (it left a gap at the top of the phone).
ACCESSIBLE_CSS = (
    '[data-testid="stCaptionContainer"] {opacity: 1; color: #4A4A4A;}'
    ' [data-testid="stSidebar"][data-collapsed="true"] {visibility: hidden;}'
    ' [data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) {display: none;}'
)


def accessible_theme(*, lang: str) -> None:
    """Once per run of every page, before the page itself (app.py, after set_page_config): the
    caption colours above, and the page's language on <html> for screen readers and hyphenation
    (WCAG 3.1.1; Streamlit's index.html always says lang="en")."""
    css(ACCESSIBLE_CSS)
    page_lang(lang=lang)


def page_lang(*, lang: str) -> None:
    """<html lang> for this page; the projector calls it again with the facilitator's language."""
    if lang not in LANGS:
        lang = "fi"
    st.html(f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True)


def query_param(name: str) -> str | None:
    value: Any = st.query_params.get(name)
    return str(value) if value else None
