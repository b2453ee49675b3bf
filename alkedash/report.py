"""A `summary.Summary` → the documents a theme owner sends on: Word (.docx) and one self-contained
HTML file.

Both are laid out from the same plan (`_sections`), so the Word report and the web page say the
same things in the same order, and both draw the charts with the functions the projector and the
analysis page use. Word gets them as pictures (`alkedash.picture`, no browser needed); the HTML
page gets them interactive, with plotly.js written into the file so it opens with no network.
Every participant's text goes through python-docx's XML escaping or `html.escape`, never raw.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from alkedash import charts, picture
from alkedash.content import MAP_ATTRIBUTION, MEMO_SECTIONS, Catalogue, load_region_shapes
from alkedash.summary import QuestionPart, Summary, ThemePart, date_range, heard_regions, moment, number, say
from alkedash.tables import COLUMNS

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-GB"}
FIGURE_WIDTH_CM = 16.0


# --- the plan both formats follow ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str = ""  # "" plain, "caption", "quote", "bullet"


@dataclass(frozen=True, slots=True)
class Markdown:
    """Organiser-written memo text (a small Markdown subset: paragraphs, "- " lists, *em*, **strong**)."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    data: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    figure: go.Figure
    alt: str
    table: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class Image:
    png: bytes
    alt: str
    table: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Markdown | Table | Figure | Image | PageBreak


@dataclass
class _Plan:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def title(*, summary: Summary) -> str:
    name = summary.event.event.name(summary.lang) if summary.event.event.name else summary.event.slug
    return f"{name}: {say('title', lang=summary.lang)}"


def theme_title(*, part: ThemePart, lang: str) -> str:
    return part.theme.title(lang) if part.theme.title else part.theme.id


def _sections(*, summary: Summary, catalogue: Catalogue) -> Iterator[Block]:
    """Everything the summary says, in reading order, as format-neutral blocks."""
    lang = summary.lang
    info = summary.event.event
    yield Heading(title(summary=summary), 0)
    if not summary.whole_event:
        yield Paragraph(say("theme_scope", lang=lang, theme=theme_title(part=summary.themes[0], lang=lang)))
    yield Paragraph(f"{say('when', lang=lang)}: {date_range(starts=info.starts, ends=info.ends, lang=lang)}")
    yield Paragraph(f"{say('where', lang=lang)}: {info.venue(lang)}, {info.city}")
    yield Paragraph(f"{say('organiser', lang=lang)}: {catalogue.ministry_name(code=info.organiser, lang=lang)}")
    yield Paragraph(f"{say('themes', lang=lang)}:")
    for part in summary.themes:
        yield Paragraph(f"{part.theme.id}: {theme_title(part=part, lang=lang)}", "bullet")
    yield from _participation(summary=summary, catalogue=catalogue)
    yield Paragraph(say("made", lang=lang, at=moment(at=summary.made_at, lang=lang)), "caption")
    yield Paragraph(
        say("hidden_note_appendix" if summary.moderation is not None else "hidden_note", lang=lang), "caption"
    )
    for part in summary.themes:
        yield PageBreak()
        yield from _theme(part=part, summary=summary, catalogue=catalogue)
    if summary.moderation is not None:
        yield PageBreak()
        yield from _appendix(summary=summary, catalogue=catalogue)


def _participation(*, summary: Summary, catalogue: Catalogue) -> Iterator[Block]:
    lang = summary.lang
    regions = {r.code: r.name(lang) for r in catalogue.regions}
    yield Heading(say("participation", lang=lang), 1)
    yield _participation_line(people=summary.people, inputs=summary.inputs, lang=lang)
    joined = summary.joined
    yield Paragraph(
        say(
            "joined_line",
            lang=lang,
            joined=sum(joined.values()),
            room=joined.get("room", 0),
            stream=joined.get("stream", 0),
        )
    )
    data = summary.by_region
    heard, silent = heard_regions(by_region=data)
    yield Paragraph(say("regions_line", lang=lang, heard=len(heard), total=len(heard) + len(silent)))
    if silent:
        yield Paragraph(say("silent_line", lang=lang, names=", ".join(regions.get(r, r) for r in silent)))
    yield Heading(say("by_region", lang=lang), 2)
    yield Figure(
        charts.region_map(data=data, geojson=load_region_shapes(), measure="participants", lang=lang, height=760),
        alt=say("by_region", lang=lang),
        table=charts.labelled_table(data=data, lang=lang, regions=regions),
    )
    yield Paragraph(MAP_ATTRIBUTION(lang), "caption")
    if not summary.by_channel.empty:
        yield Heading(say("room_stream", lang=lang), 2)
        shares = summary.by_channel
        yield Figure(
            charts.channel_share_figure(data=shares, themes=list(dict.fromkeys(shares["theme_id"])), lang=lang),
            alt=say("room_stream", lang=lang),
            table=charts.labelled_table(data=shares, lang=lang),  # theme ids, as in the chart and the cover's list
        )


def _participation_line(*, people: dict[str, int], inputs: int, lang: str) -> Paragraph:
    return Paragraph(
        say(
            "participation_line",
            lang=lang,
            people=sum(people.values()),
            room=people.get("room", 0),
            stream=people.get("stream", 0),
            inputs=number(inputs, lang=lang),
        )
    )


def _theme(*, part: ThemePart, summary: Summary, catalogue: Catalogue) -> Iterator[Block]:
    lang = summary.lang
    theme = part.theme
    yield Heading(theme_title(part=part, lang=lang), 1)
    owners = ", ".join(catalogue.ministry_name(code=o, lang=lang) for o in theme.owner)
    yield Paragraph(say("owners", lang=lang, names=owners))
    status = say(f"status_{theme.memo.status}", lang=lang)
    yield Paragraph(say("memo_status", lang=lang, status=status), "caption")
    sections = dict(MEMO_SECTIONS)
    yield Heading(sections["scope"](lang), 2)
    yield Markdown(theme.memo.scope(lang))
    yield Paragraph(say("contents", lang=lang))
    for item in theme.contents(lang):
        yield Paragraph(item, "bullet")
    yield Heading(say("participation", lang=lang), 2)
    yield _participation_line(people=part.people, inputs=part.inputs, lang=lang)
    yield Heading(say("results", lang=lang), 2)
    for q in part.questions:
        yield from _question(part=q, summary=summary, catalogue=catalogue)
    if part.ideas:
        yield Heading(say("groups", lang=lang), 2)
        yield Paragraph(say("groups_intro", lang=lang), "caption")
        for n, group in enumerate(part.groups, start=1):
            yield Paragraph(f"{n}. " + say("group_line", lang=lang, label=" · ".join(group.label), size=group.size))
            for said in group.quotes:
                yield Paragraph(said.text, "quote")
        if part.ungrouped:
            yield Paragraph(say("ungrouped", lang=lang, n=part.ungrouped), "caption")
    if part.highlighted:
        yield Heading(say("highlighted", lang=lang), 2)
        for said in part.highlighted:
            yield Paragraph(said.text, "quote")
    yield Heading(say("heard", lang=lang), 2)
    yield Paragraph(say("heard_intro", lang=lang), "caption")
    for finding in part.findings:
        yield Paragraph(finding, "bullet")
    yield Heading(say("expected", lang=lang), 3)
    yield Markdown(theme.memo.expected_outcome(lang))


def _question(*, part: QuestionPart, summary: Summary, catalogue: Catalogue) -> Iterator[Block]:
    lang = summary.lang
    q = part.question
    yield Heading(q.prompt(lang), 3)
    yield Paragraph(
        f"{say(f'kind_{q.kind}', lang=lang)} · "
        + say(
            "answers_line",
            lang=lang,
            total=number(part.total, lang=lang),
            room=number(part.answers.get("room", 0), lang=lang),
            stream=number(part.answers.get("stream", 0), lang=lang),
        ),
        "caption",
    )
    if not part.total:
        yield Paragraph(say("no_answers", lang=lang))
        return
    if q.kind == "idea":
        rows = [
            {
                say("col_rank", lang=lang): n,
                COLUMNS["idea_text"](lang): i.text,
                COLUMNS["upvotes"](lang): i.votes,
                COLUMNS["channel"](lang): charts.channel_label(channel=i.channel, lang=lang),
            }
            for n, i in enumerate(part.top_ideas, start=1)
        ]
        yield Table(pd.DataFrame(rows), caption=say("top_ideas", lang=lang))
    elif q.kind == "words" and not part.words:
        yield Paragraph(say("no_words", lang=lang))  # answers, but none with a word the cloud counts
    elif q.kind == "words":
        words = part.words[:15]
        table = pd.DataFrame(
            {
                say("col_word", lang=lang): [w.display for w in words],
                say("col_texts", lang=lang): [w.count for w in words],
            }
        )
        cloud = charts.wordcloud_png(words=tuple((w.display, w.count) for w in part.words))
        alt = say("words_alt", lang=lang, words=", ".join(f"{w.display} ({w.count})" for w in words))
        yield Image(cloud, alt=alt, table=table)
    elif q.kind == "rating" and part.ratings is not None:
        elements = q.elements or catalogue.frame.keys
        yield Figure(
            charts.rating_figure(
                data=part.ratings, frame=catalogue.frame, elements=elements, lang=lang, height=560, font_size=15
            ),
            alt=q.prompt(lang),
            table=charts.rating_table(data=part.ratings, frame=catalogue.frame, elements=elements, lang=lang),
        )
    elif q.kind == "poll" and part.poll is not None:
        yield Figure(
            charts.poll_figure(data=part.poll, question=q, lang=lang, height=380, font_size=15),
            alt=q.prompt(lang),
            table=charts.poll_table(data=part.poll, question=q, lang=lang),
        )


def _appendix(*, summary: Summary, catalogue: Catalogue) -> Iterator[Block]:
    lang = summary.lang
    log = summary.moderation
    assert log is not None
    yield Heading(say("appendix", lang=lang), 1)
    yield Paragraph(say("appendix_intro", lang=lang), "caption")
    hidden = log[log["hidden"]].drop_duplicates("input_id")
    yield Heading(say("hidden_inputs", lang=lang), 2)
    yield Table(
        pd.DataFrame(
            {
                COLUMNS["input"](lang): hidden["input_id"].astype(int),
                COLUMNS["question_id"](lang): hidden["question_id"],
                COLUMNS["text"](lang): hidden["text"].fillna(""),
            }
        )
    )
    yield Heading(say("moderation_log", lang=lang), 2)
    yield Table(
        pd.DataFrame(
            {
                COLUMNS["time"](lang): [moment(at=a, lang=lang) for a in log["at"]],
                COLUMNS["input"](lang): log["input_id"].astype(int),
                COLUMNS["action"](lang): [say(f"action_{a}", lang=lang) for a in log["action"]],
                COLUMNS["actor"](lang): log["actor"],
            }
        )
    )


# --- Markdown subset ---------------------------------------------------------------------------

_EMPHASIS = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def _blocks(text: str) -> list[tuple[str, str]]:
    """("p" | "li", text) for each paragraph or list item; lines of one paragraph are joined."""
    out: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("p", " ".join(para)))
            para.clear()

    for line in text.strip().splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith(("- ", "* ")):
            flush()
            out.append(("li", stripped[2:].strip()))
        else:
            para.append(stripped)
    flush()
    return out


def _runs(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) pieces of one paragraph."""
    runs = []
    for piece in _EMPHASIS.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            runs.append((piece[2:-2], True, False))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            runs.append((piece[1:-1], False, True))
        else:
            runs.append((piece, False, False))
    return runs


# --- Word -------------------------------------------------------------------------------------------


def docx(*, summary: Summary, catalogue: Catalogue) -> bytes:
    """The summary as a Word document: real headings (the navigation pane lists them), a table of
    data under every chart, and alternative text on every picture."""
    doc = Document()
    _docx_language(doc, LOCALES.get(summary.lang, "fi-FI"))
    props = doc.core_properties
    props.title = title(summary=summary)
    props.author = "alkedash"
    props.language = LOCALES.get(summary.lang, "fi-FI")
    props.created = summary.made_at
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    _docx_page_numbers(section)
    for block in _sections(summary=summary, catalogue=catalogue):
        _docx_block(doc, block, summary.lang)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_language(doc: object, locale: str) -> None:
    """The document's language, so Word's proofing and screen readers read Finnish as Finnish."""
    styles = doc.styles.element  # type: ignore[attr-defined]
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), locale)


def _docx_page_numbers(section: object) -> None:
    paragraph = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = 1  # centre
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _docx_block(doc: object, block: Block, lang: str) -> None:
    d = doc  # python-docx's Document has no public type
    if isinstance(block, Heading):
        d.add_heading(block.text, level=block.level)  # type: ignore[attr-defined]
    elif isinstance(block, Paragraph):
        style = {"caption": "Caption", "quote": "Quote", "bullet": "List Bullet"}.get(block.style)
        d.add_paragraph(block.text, style=style)  # type: ignore[attr-defined]
    elif isinstance(block, Markdown):
        for kind, text in _blocks(block.text):
            paragraph = d.add_paragraph(style="List Bullet" if kind == "li" else None)  # type: ignore[attr-defined]
            for piece, bold, italic in _runs(text):
                run = paragraph.add_run(piece)
                run.bold, run.italic = bold or None, italic or None
    elif isinstance(block, Table):
        if block.caption:
            d.add_paragraph(block.caption, style="Caption")  # type: ignore[attr-defined]
        _docx_table(d, block.data, lang)
    elif isinstance(block, Figure | Image):
        png = picture.png(figure=block.figure) if isinstance(block, Figure) else block.png
        d.add_picture(io.BytesIO(png), width=Cm(FIGURE_WIDTH_CM))  # type: ignore[attr-defined]
        _docx_alt_text(d, block.alt)
        if block.table is not None:
            _docx_table(d, block.table, lang)
    elif isinstance(block, PageBreak):
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]


def _docx_alt_text(doc: object, alt: str) -> None:
    """Alternative text on the picture just added (WCAG 1.1.1): Word reads it from wp:docPr/@descr."""
    last = doc.paragraphs[-1]  # type: ignore[attr-defined]
    for element in last._p.iter(qn("wp:docPr")):
        element.set("descr", alt)
        element.set("title", alt[:100])


def _cell_text(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return number(value, lang=lang, decimals=2).rstrip("0").rstrip(".,")
    return str(value)


def _docx_table(doc: object, data: pd.DataFrame, lang: str) -> None:
    table = doc.add_table(rows=1, cols=len(data.columns))  # type: ignore[attr-defined]
    table.style = "Light Grid Accent 1"
    header = table.rows[0]
    # The header row repeats on every page and tells a screen reader it is a header (w:tblHeader).
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, name in zip(header.cells, data.columns, strict=True):
        cell.text = str(name)
    for row in data.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _cell_text(value, lang)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph()  # type: ignore[attr-defined]


# --- HTML -------------------------------------------------------------------------------------------

_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#111;max-width:1100px;margin:0 auto;
     padding:1rem 2rem;line-height:1.5}
h1{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.5rem}
.caption{color:#444;font-size:.9rem}
blockquote{border-left:4px solid #0072B2;margin:.4rem 0;padding:.2rem .8rem;background:#F3F7FB}
table{border-collapse:collapse;margin:.5rem 0 1.2rem;font-size:.9rem}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#E8EEF4}
details{margin:.3rem 0 1.2rem}
img{max-width:100%;height:auto}
.pagebreak{break-after:page}
"""


def html_page(*, summary: Summary, catalogue: Catalogue) -> bytes:
    """The summary as one HTML file: interactive charts (plotly.js is inside the file), nothing
    loaded from the network, every participant's text escaped."""
    lang = summary.lang
    body: list[str] = []
    table_label = {"fi": "Taulukko", "sv": "Tabell", "en": "Table"}[lang]
    for n, block in enumerate(_sections(summary=summary, catalogue=catalogue)):
        body.append(_html_block(block, n=n, lang=lang, table_label=table_label))
    head = (
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title(summary=summary))}</title><style>{_CSS}</style>"
        f"<script>{plotly.offline.get_plotlyjs()}</script>"
    )
    # Consecutive list items were written one list each: make them one list.
    main = "".join(body).replace("</ul><ul>", "")
    page = f'<!DOCTYPE html>\n<html lang="{lang}"><head>{head}</head><body><main>{main}</main></body></html>'
    return page.encode("utf-8")


def _html_table(data: pd.DataFrame, lang: str, caption: str = "") -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in data.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell_text(v, lang))}</td>" for v in row) + "</tr>"
        for row in data.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_block(block: Block, *, n: int, lang: str, table_label: str) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{html.escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        text = html.escape(block.text)
        if block.style == "quote":
            return f"<blockquote>{text}</blockquote>"
        if block.style == "bullet":
            return f"<ul><li>{text}</li></ul>"
        return f'<p class="{block.style}">{text}</p>' if block.style else f"<p>{text}</p>"
    if isinstance(block, Markdown):
        parts = []
        for kind, text in _blocks(block.text):
            inner = "".join(
                f"<strong>{html.escape(p)}</strong>" if b else f"<em>{html.escape(p)}</em>" if i else html.escape(p)
                for p, b, i in _runs(text)
            )
            parts.append(f"<ul><li>{inner}</li></ul>" if kind == "li" else f"<p>{inner}</p>")
        return "".join(parts)
    if isinstance(block, Table):
        return _html_table(block.data, lang, block.caption)
    if isinstance(block, Figure | Image):
        if isinstance(block, Figure):
            shown = pio.to_html(
                block.figure,
                full_html=False,
                include_plotlyjs=False,
                include_mathjax=False,
                div_id=f"figure-{n}",
                config={"displaylogo": False, "responsive": True},
            )
            shown = f'<div role="img" aria-label="{html.escape(block.alt)}">{shown}</div>'
        else:
            data = base64.b64encode(block.png).decode("ascii")
            shown = f'<img src="data:image/png;base64,{data}" alt="{html.escape(block.alt)}">'
        table = (
            ""
            if block.table is None
            else f"<details><summary>{table_label}</summary>{_html_table(block.table, lang)}</details>"
        )
        return f"<figure>{shown}</figure>{table}"
    return '<div class="pagebreak"></div>'
