"""Memos (organisers): the comment round before the event. Each memo's status and its moves, the
comments by section and organisation to mark handled, who has not commented yet, and the links
the ministries and regional councils comment with."""

import pandas as pd
import streamlit as st

from alkedash import comments, translation, ui
from alkedash.comments import CommentError
from alkedash.content import EVENT_ZONE, MEMO_SECTIONS
from alkedash.translation import LANGUAGE_NAMES, N_

ui.require_role("organiser")
engine = ui.engine()
cat = ui.catalogue()
event = ui.require_event()
lang = ui.lang()
t = ui.translator(lang=lang)
_ = translation.translator(lang=lang)
ACTOR = ui.actor()  # in updated_by and handled_by: the sign-on address, or the role
MOVES = {
    ("draft", "commented"): N_("Merkitse kommentoiduksi"),
    ("commented", "final"): N_("Merkitse valmiiksi"),
    ("commented", "draft"): N_("Palauta luonnokseksi"),
    ("final", "commented"): N_("Avaa uudelleen kommentoitavaksi"),
}
SECTION_TITLES = {key: title(lang) for key, title in MEMO_SECTIONS}
RANK = comments.ranks(catalogue=cat)  # organisations in the order of data/ministries.csv and regions.csv


def ranked(org: tuple[str, str]) -> int:
    return RANK.get(org, len(RANK))


def org_name(kind: str, code: str) -> str:
    return comments.organisation_name(catalogue=cat, kind=kind, code=code, lang=lang)


def theme_title(theme_id: str) -> str:
    theme = event.theme(theme_id)
    return theme.title(lang) if theme is not None and theme.title else theme_id


def attempt(action: str, fn, /, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Button callback: the change is stored before the page redraws; a refusal is shown beside it."""
    try:
        fn(engine=engine, **kwargs)
    except CommentError as exc:
        st.session_state[f"flash-{action}"] = _(comments.MESSAGES[exc.code], **exc.params)


def flash(action: str) -> None:
    message = st.session_state.pop(f"flash-{action}", None)
    if message:
        st.error(message)


st.title(_("Muistiot"))
st.caption(
    _(
        "{event}: ministeriöt ja maakuntien liitot kommentoivat teemojen taustamuistioita ennen tapahtumaa, "
        "kukin omalla linkillään.",
        event=event.event.name(lang) if event.event.name else event.slug,
    )
)
statuses = comments.memo_statuses(engine=engine, event=event)
found = comments.comments(engine=engine, event_slug=event.slug)
all_links = sorted(comments.links(engine=engine, event_slug=event.slug), key=lambda k: ranked((k.org_kind, k.org_code)))
numbers = {theme.id: n for n, theme in enumerate(event.themes, start=1)}
if not all_links:
    st.info(_("Kommentointilinkkejä ei ole vielä luotu. Luo ne sivun lopusta ja lähetä ne organisaatioille."))

# --- the memos' status ---------------------------------------------------------------------------

st.header(_("Muistioiden tila"))
flash("status")
for theme in event.themes:
    status = statuses[theme.id]
    mine = [c for c in found if c.theme_id == theme.id]
    with st.container(border=True):
        text, buttons = st.columns([3, 2], vertical_alignment="center")
        text.markdown(f"**{numbers[theme.id]}. {theme_title(theme.id)}**")
        text.caption(
            _(
                "Tila: **{status}** · kommentteja {n} · käsittelemättä {open}",
                status=t("memo_" + status),
                n=_.number(len(mine)),
                open=_.number(sum(not c.handled for c in mine)),
            )
        )
        with buttons.container(horizontal=True):
            for target in comments.allowed_moves(status=status):
                st.button(
                    _(MOVES[(status, target)]),
                    key=f"move-{theme.id}-{target}",
                    type="primary" if target == comments.allowed_moves(status=status)[0] else "secondary",
                    on_click=attempt,
                    args=("status", comments.set_memo_status),
                    kwargs={"event": event, "theme_id": theme.id, "expected": status, "status": target, "actor": ACTOR},
                )
st.caption(_("Valmista muistiota ei voi enää kommentoida. Ohjelmasivu näyttää muistion tilan osallistujille."))

# --- the comments --------------------------------------------------------------------------------

st.header(_("Kommentit"))
flash("handled")
pick, only = st.columns([3, 2], vertical_alignment="bottom")
chosen = pick.selectbox(
    _("Teema"),
    options=list(numbers),
    format_func=lambda theme_id: f"{numbers[theme_id]}. {theme_title(theme_id)}",
    key="memos-theme",
)
unhandled_only = only.toggle(_("Vain käsittelemättömät"), key="memos-unhandled")
shown = [c for c in found if c.theme_id == chosen and not (unhandled_only and c.handled)]
if not shown:
    st.caption(
        _("Tämän teeman muistiossa ei ole käsittelemättömiä kommentteja.")
        if unhandled_only
        else _("Tämän teeman muistiota ei ole vielä kommentoitu.")
    )
for section, by_org in comments.group(found=shown).items():
    n = sum(len(v) for v in by_org.values())
    st.subheader(_("{section} ({n})", section=SECTION_TITLES[section], n=_.number(n)))
    for (kind, code), items in sorted(by_org.items(), key=lambda item: ranked(item[0])):
        st.markdown(f"**{ui.plain(org_name(kind, code))}** · {comments.kind_name(kind=kind, lang=lang)}")
        for comment in items:
            with st.container(border=True):
                details = [_.moment(comment.created_at.astimezone(EVENT_ZONE), form="short")]
                if comment.author:
                    details.append(ui.plain(comment.author))
                details.append(LANGUAGE_NAMES.get(comment.lang, comment.lang))
                if comment.handled and comment.handled_at is not None:
                    details.append(
                        _(
                            "käsitelty {when} ({who})",
                            when=_.moment(comment.handled_at.astimezone(EVENT_ZONE), form="short"),
                            who=_(ui.ROLE_NAMES[comment.handled_by])
                            if comment.handled_by in ui.ROLE_NAMES
                            else ui.plain(comment.handled_by or ""),
                        )
                    )
                st.caption(" · ".join(details))
                st.text(comment.text)
                st.button(
                    _("Palauta käsittelemättömäksi") if comment.handled else _("Merkitse käsitellyksi"),
                    key=f"handled-{comment.id}",
                    icon=":material/undo:" if comment.handled else ":material/check:",
                    type="tertiary" if comment.handled else "secondary",
                    on_click=attempt,
                    args=("handled", comments.set_handled),
                    kwargs={
                        "event_slug": event.slug,
                        "comment_id": comment.id,
                        "handled": not comment.handled,
                        "actor": ACTOR,
                    },
                )

if found:
    rows = [
        {
            _("Teema"): f"{numbers.get(c.theme_id, '')}. {theme_title(c.theme_id)}",
            _("Muistion kohta"): SECTION_TITLES.get(c.section, c.section),
            _("Organisaatio"): org_name(c.org_kind, c.org_code),
            _("Organisaation tyyppi"): comments.kind_name(kind=c.org_kind, lang=lang),
            _("Kirjoittaja"): c.author or "",
            _("Kommentti"): c.text,
            _("Kieli"): c.lang,
            _("Aika"): c.created_at.astimezone(EVENT_ZONE).strftime("%Y-%m-%d %H:%M"),
            _("Käsitelty"): _("kyllä") if c.handled else _("ei"),
            _("Käsittelijä"): c.handled_by or "",
        }
        for c in found
    ]
    ui.csv_download(
        table=pd.DataFrame(rows),
        name=f"{event.slug}-muistiokommentit",
        key="comments-csv",
        label=_("Lataa kaikki kommentit (CSV)"),
    )

# --- who has commented ---------------------------------------------------------------------------

st.header(_("Kuka on kommentoinut"))
coverage = comments.coverage(engine=engine, event=event)
if coverage.empty:
    st.caption(_("Kun linkit on luotu, tässä näkyy, mitkä organisaatiot ovat kommentoineet mitäkin muistiota."))
else:
    not_yet = _("ei vielä")
    table = pd.DataFrame(
        [
            {
                _("Organisaatio"): org_name(kind, code),
                _("Tyyppi"): comments.kind_name(kind=kind, lang=lang),
                **{
                    _("Teema {n}", n=numbers[theme.id]): (_.number(int(row[theme.id])) if row[theme.id] else not_yet)
                    for theme in event.themes
                },
                _("Yhteensä"): _.number(int(sum(row[theme.id] for theme in event.themes))),
                _("Linkki"): _("poistettu käytöstä") if row["revoked"] else _("käytössä"),
            }
            for (kind, code), row in sorted(coverage.iterrows(), key=lambda item: ranked(item[0]))
        ]
    )
    cols = st.columns(len(event.themes))
    for col, theme in zip(cols, event.themes, strict=True):
        waiting = sorted(comments.not_commented(engine=engine, event_slug=event.slug, theme_id=theme.id), key=ranked)
        active = int((~coverage["revoked"].astype(bool)).sum())
        col.metric(
            _("Teema {n}: kommentoineet", n=numbers[theme.id]),
            f"{_.number(active - len(waiting))} / {_.number(active)}",
            help=theme_title(theme.id),
        )
        if waiting:
            with col.expander(_("Ei vielä kommentoineet ({n})", n=_.number(len(waiting)))):
                st.markdown("\n".join(f"- {ui.plain(org_name(kind, code))}" for kind, code in waiting))
    st.dataframe(table, hide_index=True, width="stretch", height="content")
    st.caption(" · ".join(_("Teema {n}: {theme}", n=numbers[th.id], theme=theme_title(th.id)) for th in event.themes))

# --- the links -----------------------------------------------------------------------------------

st.header(_("Kommentointilinkit"))
st.caption(
    _(
        "Jokainen ministeriö ja maakunnan liitto kommentoi omalla linkillään ilman kirjautumista. "
        "Lähetä linkki organisaation yhteyshenkilölle. Linkki on kuin salasana: kuka tahansa, jolla se on, "
        "voi kommentoida organisaation nimissä. Jos linkki joutuu vääriin käsiin, poista se käytöstä ja "
        "lähetä uusi."
    )
)
flash("links")
missing = len(comments.organisations(catalogue=cat)) - len(all_links)
if missing > 0:
    st.button(
        _("Luo linkit kaikille ministeriöille ja maakuntien liitoille ({n})", n=_.number(missing)),
        key="links-create",
        type="primary",
        icon=":material/add_link:",
        on_click=attempt,
        args=("links", comments.create_links),
        kwargs={"event_slug": event.slug, "catalogue": cat},
    )
if all_links:
    public_url = ui.settings().public_url
    by_code = {(link.org_kind, link.org_code): link for link in all_links}
    link_rows = pd.DataFrame(
        [
            {
                _("Organisaatio"): org_name(link.org_kind, link.org_code),
                _("Tyyppi"): comments.kind_name(kind=link.org_kind, lang=lang),
                _("Tila"): _("poistettu käytöstä") if link.revoked else _("käytössä"),
                _("Linkki"): comments.link_url(public_url=public_url, code=link.code),
            }
            for link in all_links
        ]
    )
    st.dataframe(link_rows, hide_index=True, width="stretch")
    ui.csv_download(
        table=link_rows,
        name=f"{event.slug}-kommentointilinkit",
        key="links-csv",
        label=_("Lataa linkit (CSV)"),
    )
    with st.container(border=True):
        org_key = st.selectbox(
            _("Yhden organisaation linkki"),
            options=list(by_code),
            format_func=lambda k: f"{org_name(*k)} · {comments.kind_name(kind=k[0], lang=lang)}",
            key="links-org",
        )
        link = by_code[org_key]
        if link.revoked:
            st.warning(_("Tämä linkki on poistettu käytöstä. Luo uusi linkki, jos organisaation pitää kommentoida."))
        else:
            st.code(comments.link_url(public_url=public_url, code=link.code), language=None, wrap_lines=True)
            st.caption(_("Kopioi linkki koodilaatikon oikean reunan painikkeella."))
        with st.container(horizontal=True):
            if not link.revoked:
                st.button(
                    _("Poista linkki käytöstä"),
                    key="links-revoke",
                    icon=":material/link_off:",
                    on_click=attempt,
                    args=("links", comments.revoke_link),
                    kwargs={"event_slug": event.slug, "code": link.code},
                )
            st.button(
                _("Luo uusi linkki"),
                key="links-renew",
                icon=":material/autorenew:",
                help=_("Vanha linkki lakkaa toimimasta. Organisaation aiemmat kommentit säilyvät."),
                on_click=attempt,
                args=("links", comments.renew_link),
                kwargs={"event_slug": event.slug, "code": link.code},
            )

st.header(_("Poista kommentointikierroksen tiedot"))
with st.form("erase-comments"):
    st.write(
        _(
            "Poistaa tämän tapahtuman kaikki kommentit (myös kirjoittajien nimet), kommentointilinkit ja muistioiden "
            "vaiheet. Tapahtuman asetukset ja päivän vastaukset säilyvät. Lataa kommentit ensin CSV-tiedostona, "
            "jos ne pitää säilyttää."
        )
    )
    sure = st.checkbox(_("Ymmärrän, että poistettua ei saa takaisin"))
    if st.form_submit_button(_("Poista kommentit, linkit ja vaiheet"), icon=":material/delete_forever:"):
        if not sure:
            st.error(_("Vahvista poisto rastittamalla ruutu."))
        else:
            gone = comments.erase(engine=engine, event_slug=event.slug)
            st.success(
                _(
                    "Poistettu: {comments} kommenttia, {links} linkkiä, {stages} muistion vaihetta.",
                    comments=_.number(gone["memo_comments"]),
                    links=_.number(gone["comment_links"]),
                    stages=_.number(gone["memo_states"]),
                )
            )
