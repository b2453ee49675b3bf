"""A series' milestones → a plotly timeline and its data table, labelled in the viewer's language.

No database and no Streamlit here (alkedash.series reads the store). One row per milestone, in time
order from the top: a span of days is a bar, a single day a marker. A tentative date ("tbc") is told
apart by more than colour (WCAG 1.4.1): its bar is broken into dashes over a thin line, its marker is
hollow, and its text says "(alustava)". Kinds take their colours from the Okabe–Ito set that keeps
3:1 on white (alkedash.charts.PALETTE), and each bar has its kind written beside it, so the colour
is never the only sign. Today is a dashed vertical line labelled "Tänään"; `today` is a parameter,
so a test draws the same figure every day.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_interval, format_skeleton

from alkedash.charts import BACKGROUND, INK, PALETTE, PATTERN_INK, say_empty
from alkedash.series import KINDS, MilestoneInfo, SeriesInfo
from alkedash.translation import Translator, translator

# Marker shapes per kind, so two kinds that share a colour (more kinds than colours) still differ.
SYMBOLS = {
    "workshop": "circle",
    "consultation": "square",
    "webinar": "diamond",
    "meeting": "triangle-up",
    "decision": "star",
    "theme_choice": "hexagon",
    "memo_drafting": "pentagon",
    "comment_round": "triangle-down",
    "event": "star-diamond",
}
TENTATIVE_DASH = "10px,6px"  # a tentative span's thick bar is broken into dashes over a thin whole line
BAR_WIDTH = 16  # px
ROW_GAP = 14  # px between one milestone's bar and the next one's text
KIND_ROOM = 0.35  # the share of the axis after a bar that its kind's name needs on a phone
TODAY_INK = "#A83D00"  # the dark vermillion of the word clouds: 5.3:1 on white, a line nothing else uses
# How a day is written beside its bar (chart) and in the table: 21.9. / 21 sep. / 21 Sept.
SKELETONS = {"fi": ("Md", "yMd"), "sv": ("MMMd", "yMMMd"), "en": ("MMMd", "yMMMd")}
LABEL_WIDTH = 36  # characters per line of a milestone's text: fits a phone's chart at 17 px
MS_PER_DAY = 86_400_000


@dataclass(frozen=True)
class Plan:
    """One series and its milestones, as the figure draws it."""

    info: SeriesInfo
    milestones: tuple[MilestoneInfo, ...]


def kind_label(*, kind: str, lang: str) -> str:
    found = KINDS.get(kind)
    return found(lang) if found else kind


def tentative_label(_: Translator) -> str:
    return _("alustava")


def status_label(*, tentative: bool, _: Translator) -> str:
    return _("Alustava (tbc)") if tentative else _("Vahvistettu")


def when(*, milestone: MilestoneInfo, lang: str, year: bool) -> str:
    """The milestone's day or days as the language writes them (23.–24.8.2023, 23–24 aug. 2023)."""
    short, full = SKELETONS.get(lang, SKELETONS["fi"])
    skeleton = full if year else short
    locale = translator(lang=lang).locale
    if milestone.is_span and milestone.ends is not None:
        return format_interval(milestone.starts, milestone.ends, skeleton, locale=locale)
    return format_skeleton(skeleton, milestone.starts, locale=locale)


def kind_colours(*, kinds: Sequence[str]) -> dict[str, str]:
    """A colour per kind in order of first appearance; the palette repeats only past its five colours
    (the marker shapes differ then)."""
    order = list(dict.fromkeys(kinds))
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(order)}


def _range(*, items: Sequence[MilestoneInfo], today: dt.date) -> tuple[dt.date, dt.date, bool]:
    """The axis' first and last day, and whether today is on it. Today is added to the axis when it
    is near (within half the series' length); else the series would shrink to a sliver, and an arrow
    at the edge says where today is."""
    first = min(m.starts for m in items)
    last = max(m.last_day for m in items)
    length = max((last - first).days, 14)
    near = first - dt.timedelta(days=length // 2) <= today <= last + dt.timedelta(days=length // 2)
    if near:
        first, last = min(first, today), max(last, today)
        length = max((last - first).days, 14)
    pad = dt.timedelta(days=max(length // 20, 3))  # half a marker, on a phone's narrow axis
    return first - pad, last + pad, near


def _row_text(*, milestone: MilestoneInfo, lang: str, width: int) -> list[str]:
    """The lines written above a milestone's bar: its day(s) in bold, the place, the title, and
    "(alustava)" when tentative; wrapped, so that a phone's narrow chart shows it whole."""
    _ = translator(lang=lang)
    nbsp = "\u00a0"  # a date or a place is never broken over two lines
    day = when(milestone=milestone, lang=lang, year=False).replace(" ", nbsp)
    head = f"{day}{nbsp}·{nbsp}{milestone.place.replace(' ', nbsp)}" if milestone.place else day
    title = milestone.title(lang)
    if milestone.tentative:
        title += f" ({tentative_label(_)})"
    lines = textwrap.wrap(f"{head} {title}", width=width, break_on_hyphens=False)
    escaped = [html.escape(line, quote=False) for line in lines]
    bold = html.escape(head, quote=False)
    escaped[0] = escaped[0].replace(bold, f"<b>{bold}</b>", 1)
    return escaped


@dataclass(frozen=True)
class _Row:
    """Where one milestone (or a series' heading) sits, in pixels from the top of the plot."""

    top: float
    lines: list[str]
    bar: float | None  # the y of its bar or marker; None for a heading
    milestone: MilestoneInfo | None
    name: str  # "series SLUG" or "milestone KEY": what a test looks for


def _layout_rows(*, plans: Sequence[Plan], lang: str, font_size: int, width: int) -> tuple[list[_Row], float]:
    line = round(font_size * 1.3)
    rows, y = [], 8.0
    for plan in plans:
        if len(plans) > 1:
            heading = [f"<b>{html.escape(t, quote=False)}</b>" for t in textwrap.wrap(plan.info.title(lang), width)]
            rows.append(_Row(top=y, lines=heading, bar=None, milestone=None, name=f"series {plan.info.slug}"))
            y += line * len(heading) + ROW_GAP
        for m in plan.milestones:
            lines = _row_text(milestone=m, lang=lang, width=width)
            bar = y + line * len(lines) + BAR_WIDTH / 2 + 6
            rows.append(_Row(top=y, lines=lines, bar=bar, milestone=m, name=f"milestone {m.key}"))
            y = bar + BAR_WIDTH / 2 + ROW_GAP
    return rows, y


def figure(
    *, plans: Sequence[Plan], lang: str, today: dt.date, font_size: int = 17, width: int = LABEL_WIDTH
) -> go.Figure:
    """The milestones of one or more series on a date axis, today marked; several series each start
    with a heading. Each milestone's text is written above its bar, across the chart, so that the
    same figure reads on a projector and on a phone (a label column beside the bars left a phone no
    room for them). The y axis is in pixels: the rows keep their spacing whatever the width."""
    _ = translator(lang=lang)
    fig = go.Figure()
    items = [m for p in plans for m in p.milestones]
    if not items:
        say_empty(fig, text=_("Sarjalla ei ole vielä vaiheita."), font_size=font_size)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.update_layout(height=200, plot_bgcolor=BACKGROUND, paper_bgcolor=BACKGROUND)
        return fig
    colours = kind_colours(kinds=[m.kind for m in items])
    first, last, today_shown = _range(items=items, today=today)
    # A span too short to see as a bar on this axis (two days of a half-year) is drawn as a marker.
    shortest = max(3, round((last - first).days * 0.015))
    rows, total = _layout_rows(plans=plans, lang=lang, font_size=font_size, width=width)
    for row in rows:
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=row.top,
            yref="y",
            yanchor="top",
            text="<br>".join(row.lines),
            align="left",
            showarrow=False,
            font={"size": font_size, "color": INK},
            bgcolor="rgba(255,255,255,0.85)",
            name=row.name,
        )
        if row.milestone is None or row.bar is None:
            continue
        m = row.milestone
        colour = colours[m.kind]
        hover = html.escape(f"{m.title(lang)}: {_hover(m, lang=lang)}", quote=False)
        common = {
            "name": kind_label(kind=m.kind, lang=lang),
            "showlegend": False,
            "hoverinfo": "text",
            "hovertext": hover,
        }
        drawn_as_bar = m.is_span and (m.last_day - m.starts).days + 1 > shortest
        if drawn_as_bar:
            # From the first morning to the last evening: the bar covers its last day too.
            xs = [m.starts.isoformat(), (m.last_day + dt.timedelta(days=1)).isoformat()]
            if m.tentative:  # a thin line for its whole length, the thick one broken into dashes over it
                fig.add_trace(
                    go.Scatter(x=xs, y=[row.bar] * 2, mode="lines", line={"color": colour, "width": 4}, **common)
                )
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=[row.bar] * 2,
                    mode="lines",
                    line={"color": colour, "width": BAR_WIDTH, "dash": TENTATIVE_DASH if m.tentative else "solid"},
                    **common,
                )
            )
        else:
            symbol = SYMBOLS.get(m.kind, "circle")
            fig.add_trace(
                go.Scatter(
                    x=[m.starts.isoformat()],
                    y=[row.bar],
                    mode="markers",
                    # A tentative day is a hollow shape in the kind's colour, a fixed one solid.
                    marker={
                        "color": colour,
                        "symbol": f"{symbol}-open" if m.tentative else symbol,
                        "size": 20,
                        "line": {"color": colour if m.tentative else PATTERN_INK, "width": 3 if m.tentative else 1},
                    },
                    **common,
                )
            )
        # The kind in words beside the bar, on the side with room: the colour is never its only sign.
        end = (m.last_day + dt.timedelta(days=1)) if drawn_as_bar else m.starts
        after = (last - end).days / ((last - first).days or 1) >= KIND_ROOM
        fig.add_annotation(
            x=(end if after else m.starts).isoformat(),
            xref="x",
            xanchor="left" if after else "right",
            xshift=(8 if drawn_as_bar else 18) * (1 if after else -1),
            y=row.bar,
            yref="y",
            text=html.escape(kind_label(kind=m.kind, lang=lang), quote=False),
            name="kind",
            showarrow=False,
            font={"size": font_size - 3, "color": INK},
        )
        fig.add_shape(  # a hairline under each row, to read along it on a wide screen
            type="line",
            xref="paper",
            x0=0,
            x1=1,
            y0=row.bar + BAR_WIDTH / 2 + ROW_GAP / 2,
            y1=row.bar + BAR_WIDTH / 2 + ROW_GAP / 2,
            line={"color": "#E3E3E3", "width": 1},
            layer="below",
        )
    _mark_today(fig, today=today, shown=today_shown, after=today > last, lang=lang, font_size=font_size)
    top, bottom = 60, 44
    fig.update_layout(
        height=round(total) + top + bottom,
        margin={"l": 8, "r": 8, "t": top, "b": bottom, "autoexpand": False},
        font={"size": font_size, "color": INK},
        hoverlabel={"font": {"size": font_size}},
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        showlegend=False,
    )
    fig.update_xaxes(
        type="date",
        range=[first.isoformat(), last.isoformat()],
        gridcolor="#DDDDDD",
        tickfont={"color": INK, "size": font_size - 2},
        automargin=False,
        side="top",
        fixedrange=True,
        **_month_ticks(first=first, last=last, lang=lang),
    )
    fig.update_yaxes(range=[total, 0], visible=False, fixedrange=True)
    return fig


def _month_ticks(*, first: dt.date, last: dt.date, lang: str) -> dict[str, object]:
    """A grid line at each month's first day and the month's name in the middle of it, as the
    language names months (syys, sep., Sept: plotly's own names are English); the year under the
    first month and the first of each new year. Every second or third month on a long axis."""
    locale = translator(lang=lang).locale
    months = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = 1 if len(months) <= 8 else 2 if len(months) <= 16 else 3
    shown = months[::step]
    return {
        "tickvals": [d.isoformat() for d in shown],
        "ticktext": [
            format_skeleton("MMM", d, locale=locale)
            + (f"<br>{d.year}" if i == 0 or d.year != shown[i - 1].year else "")
            for i, d in enumerate(shown)
        ],
        "ticklabelmode": "period",
    }


def _place_text(m: MilestoneInfo, *, lang: str) -> str:
    day = when(milestone=m, lang=lang, year=False)
    return f"{day} {m.place}" if m.place else day


def _hover(m: MilestoneInfo, *, lang: str) -> str:
    _ = translator(lang=lang)
    parts = [when(milestone=m, lang=lang, year=True), kind_label(kind=m.kind, lang=lang)]
    if m.place:
        parts.append(m.place)
    parts.append(status_label(tentative=m.tentative, _=_))
    return " · ".join(parts)


def today_label(_: Translator) -> str:
    return _("Tänään")


def _mark_today(fig: go.Figure, *, today: dt.date, shown: bool, after: bool, lang: str, font_size: int) -> None:
    """A dashed line at today, labelled; when today is far from the series, an arrow label at the edge."""
    _ = translator(lang=lang)
    font = {"size": font_size, "color": TODAY_INK}
    if shown:
        fig.add_shape(
            type="line",
            x0=today.isoformat(),
            x1=today.isoformat(),
            xref="x",
            yref="paper",
            y0=0,
            y1=1,
            line={"color": TODAY_INK, "width": 3, "dash": "dash"},
            name="today",
        )
        fig.add_annotation(
            x=today.isoformat(),
            xref="x",
            y=0,
            yref="paper",
            yanchor="top",
            text=f"<b>{today_label(_)}</b>",
            showarrow=False,
            font=font,
            bgcolor=BACKGROUND,
            name="today",
        )
        return
    day = _.date(today, form="medium")
    fig.add_annotation(
        x=1 if after else 0,
        xref="paper",
        xanchor="right" if after else "left",
        y=0,
        yref="paper",
        yanchor="top",
        text=f"<b>{today_label(_)} {day} →</b>" if after else f"<b>← {today_label(_)} {day}</b>",
        showarrow=False,
        font=font,
        bgcolor=BACKGROUND,
        name="today",
    )


def table(*, plans: Sequence[Plan], lang: str) -> pd.DataFrame:
    """The figure's text alternative and download: one row per milestone, in time order."""
    _ = translator(lang=lang)
    rows = []
    for plan in plans:
        for m in plan.milestones:
            row: dict[str, str] = {}
            if len(plans) > 1:
                row[_("Sarja")] = plan.info.title(lang)
            row.update(
                {
                    _("Ajankohta"): when(milestone=m, lang=lang, year=True),
                    _.pgettext("timeline", "Vaihe"): m.title(lang),
                    _("Laji"): kind_label(kind=m.kind, lang=lang),
                    _.pgettext("timeline", "Paikka"): m.place or "",
                    _("Tila"): status_label(tentative=m.tentative, _=_),
                    _("Lisätietoja"): m.note(lang) if m.note else "",
                }
            )
            rows.append(row)
    columns = [
        _("Ajankohta"),
        _.pgettext("timeline", "Vaihe"),
        _("Laji"),
        _.pgettext("timeline", "Paikka"),
        _("Tila"),
        _("Lisätietoja"),
    ]
    if len(plans) > 1:
        columns.insert(0, _("Sarja"))
    return pd.DataFrame(rows, columns=columns)
