"""The one module that imports streamlit: cached engine and content, the role gate, shared widgets."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine
from streamlit import config as st_config
from streamlit.runtime import app_session as st_app_session
from streamlit.runtime import runtime as st_runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner import script_runner as st_script_runner

from alkedash import access, language, live, runtime
from alkedash.content import LANGS, Catalogue, ContentError, Event, load_catalogue
from alkedash.db import make_engine, migrate
from alkedash.messages import message
from alkedash.settings import Settings, load_settings

if TYPE_CHECKING:  # scikit-learn is imported by the pages that group ideas, not by every phone
    from alkedash.topics import Idea, IdeaGroup

ROLE_KEY = "alkedash_role"
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
        st.error(f"Sisältötiedostossa on virhe / Error in a content file:\n\n```\n{exc}\n```")
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url=url)
    migrate(engine=engine)
    language.warm_up()  # load the Finnish dictionary now, not on the first word-cloud refresh
    # Streamlit compiles its emoji table on the first alert with an icon: 0.25 s holding the GIL,
    # which every phone felt on the first "saved" of the day (py-spy). Pay it here.
    import streamlit.emojis  # noqa: F401

    for event in _catalogue().events:
        live.ensure_event(engine=engine, event=event)
    # The dictionaries are millions of long-lived objects: keep Python's collector from walking them
    # again and again (runner.postScriptGC is off in .streamlit/config.toml for the same reason).
    gc.collect()
    gc.freeze()
    return engine


def engine() -> Engine:
    """One engine per process and database URL, migrated and seeded on first use."""
    catalogue()
    return _engine(settings().database_url)


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


def event_from_url() -> Event | None:
    """The event the URL's join code names, else the configured default event."""
    cat = catalogue()
    code = sticky_param("code")
    if code:
        return cat.event(join_code=code)
    return cat.event(slug=settings().event) or cat.events[0]


def require_event() -> Event:
    """The URL's event, or a clear message in the visitor's language and nothing else."""
    event = event_from_url()
    if event is None:
        st.error(t("unknown_event"))
        st.stop()
        raise AssertionError  # unreachable: st.stop() raises
    return event


# --- roles --------------------------------------------------------------------------------------


ROLE_NAMES = {"facilitator": "fasilitaattorina", "organiser": "järjestäjänä"}
REFUSALS = {
    "facilitator": "Tämä sivu on vain fasilitaattoreille. Kirjaudu sisään. / Facilitators only.",
    "organiser": "Tämä sivu on vain järjestäjille. Kirjaudu sisään järjestäjän salasanalla. / Organisers only.",
}


def role() -> str | None:
    """The role this browser session signed in with, if any."""
    held = st.session_state.get(ROLE_KEY)
    return str(held) if held else None


def has_role(needed: str) -> bool:
    """An organiser has every facilitator right as well."""
    return access.grants(held=role(), needed=needed)


def stored_passwords() -> dict[str, str | None]:
    found = settings()
    secrets_ = {"facilitator": found.facilitator_password, "organiser": found.organiser_password}
    return {r: (v.get_secret_value() or None) if v is not None else None for r, v in secrets_.items()}


def _client() -> str:
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
    key = _client()
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


def log_out() -> None:
    st.session_state.pop(ROLE_KEY, None)


def require_role(needed: str) -> None:
    """Second line of defence: a page reached without the role renders nothing but a refusal."""
    if not has_role(needed):
        st.error(REFUSALS[needed])
        st.stop()


# --- shared widgets -----------------------------------------------------------------------------


def chart_with_table(
    *, figure: go.Figure, table: pd.DataFrame, key: str, table_label: str = "Taulukko", csv_name: str | None = None
) -> None:
    """Every chart has its data beside it, as a table a screen reader can read, and, with `csv_name`,
    as a CSV file."""
    # theme=None: our own colours and patterns, not Streamlit's, so room and stream stay distinguishable.
    st.plotly_chart(figure, key=f"chart-{key}", theme=None, config={"displayModeBar": False})
    with st.expander(table_label):
        st.dataframe(table, hide_index=True, key=f"table-{key}")
        if csv_name:
            csv_download(table=table, name=csv_name, key=f"csv-{key}")


def csv_download(*, table: pd.DataFrame, name: str, key: str, label: str = "Lataa CSV") -> None:
    """A table as a CSV file: UTF-8 with a byte-order mark, so Excel opens ä and ö right."""
    st.download_button(
        label,
        data=table.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def idea_group_list(*, groups: Sequence[IdeaGroup], ideas: Sequence[Idea], key: str) -> None:
    """Idea groups as the facilitator reads them: the group's words, its size, its three most
    typical ideas (as plain text: participants wrote them), and the rest behind a toggle."""
    text = {i.id: i.text for i in ideas}
    labelled = [g for g in groups if g.label]
    if not labelled:
        st.caption("Ideoissa ei vielä ole yhteisiä sanoja, joiden mukaan ryhmitellä.")
    for n, group in enumerate(labelled, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {' · '.join(plain(w) for w in group.label)}** — {group.size} ideaa")
            for idea_id in group.representatives:
                st.text(f"• {text[idea_id]}")
            others = [i for i in group.idea_ids if i not in group.representatives]
            if others and st.toggle(f"Näytä loput {len(others)}", key=f"{key}-more-{n}"):
                for idea_id in others:
                    st.text(f"• {text[idea_id]}")
    rest = next((g for g in groups if not g.label), None)
    if rest is not None:
        st.caption(f"Ryhmittelemättä {rest.size} ideaa (ei yhteisiä sanoja muiden kanssa).")


def plain(word: str) -> str:
    """A word shown in markdown as typed: every markdown character escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()#+-.!|<>~$:" else ch for ch in word)


def css(rules: str) -> None:
    st.html(f"<style>{rules}</style>")


def query_param(name: str) -> str | None:
    value: Any = st.query_params.get(name)
    return str(value) if value else None
