"""The Word report and the HTML page as a reader gets them: opened with python-docx, parsed as HTML."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import Engine, text

from alkedash import report, summary
from alkedash.content import Catalogue, Event
from tests.conftest import HOSTILE, SECRET, require

SLUG = "alke-2025"
AT = dt.datetime(2025, 3, 21, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def made(moderated: Engine, catalogue: Catalogue, event: Event) -> dict[str, summary.Summary]:
    return {
        lang: summary.build(engine=moderated, catalogue=catalogue, event=event, lang=lang, made_at=AT)
        for lang in ("fi", "sv", "en")
    }


@pytest.fixture(scope="module")
def documents(made: dict[str, summary.Summary], catalogue: Catalogue) -> dict[str, docx.document.Document]:
    return {lang: docx.Document(io.BytesIO(report.docx(summary=s, catalogue=catalogue))) for lang, s in made.items()}


def _headings(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def _all_text(document: docx.document.Document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_word_report_has_a_heading_per_theme_for_the_navigation_pane(
    documents: dict[str, docx.document.Document], event: Event, lang: str
) -> None:
    headings = _headings(documents[lang])
    assert headings[0][0] == "Title"
    assert [t for style, t in headings if style == "Heading 1"][1:] == [th.title(lang) for th in event.themes]  # type: ignore[misc]
    level2 = [t for style, t in headings if style == "Heading 2"]
    assert level2.count(summary.WORDING["heard"](lang)) == 3
    level3 = [t for style, t in headings if style == "Heading 3"]
    assert all(q.prompt(lang) in level3 for th in event.themes for q in th.questions)


def test_the_cover_names_the_event_and_its_participation(
    documents: dict[str, docx.document.Document], moderated: Engine
) -> None:
    first = "\n".join(p.text for p in documents["fi"].paragraphs[:12])
    assert "Aluekehittämisen keskustelut 2025" in first
    assert "20.–21.3.2025" in first and "Mariankadun kokouskeskus, Helsinki" in first
    with moderated.connect() as conn:
        people = conn.execute(
            text("SELECT COUNT(DISTINCT participant_id) FROM inputs WHERE event = :e AND NOT hidden"), {"e": SLUG}
        ).scalar()
    assert f"Vastanneita osallistujia {people}:" in first


def test_every_picture_has_alternative_text(documents: dict[str, docx.document.Document]) -> None:
    for lang, document in documents.items():
        pictures = list(document.element.body.iter(qn("wp:docPr")))
        # the map, room and stream, then per theme: word cloud, rating chart and poll chart
        assert len(pictures) == 2 + 3 * 3, lang
        assert all(p.get("descr") for p in pictures), lang


def test_the_document_language_is_the_readers(documents: dict[str, docx.document.Document]) -> None:
    for lang, locale in (("fi", "fi-FI"), ("sv", "sv-SE"), ("en", "en-GB")):
        assert documents[lang].core_properties.language == locale
        defaults = documents[lang].styles.element.find(qn("w:docDefaults"))
        assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == locale


def test_the_report_quotes_the_highlighted_idea_literally_and_leaves_the_hidden_one_out(
    documents: dict[str, docx.document.Document],
) -> None:
    for document in documents.values():
        everything = _all_text(document)
        assert HOSTILE in everything  # as written: markup and formula are plain text in Word
        assert SECRET not in everything


def test_the_top_ideas_table_counts_upvotes_as_the_database(
    documents: dict[str, docx.document.Document], moderated: Engine
) -> None:
    with moderated.connect() as conn:
        best = conn.execute(
            text(
                "SELECT i.text, COUNT(v.id) AS n FROM inputs i LEFT JOIN votes v ON v.input_id = i.id "
                "WHERE i.event = :e AND i.question_id = 'T1-idea' AND NOT i.hidden "
                "GROUP BY i.id, i.text ORDER BY n DESC, i.id LIMIT 3"
            ),
            {"e": SLUG},
        ).all()
    table = next(t for t in documents["en"].tables if t.rows[0].cells[1].text == "Idea")
    rows = [(r.cells[1].text, int(r.cells[2].text)) for r in table.rows[1:4]]
    assert rows == [(t, int(n)) for t, n in best]


def test_the_appendix_is_added_only_when_asked(moderated: Engine, catalogue: Catalogue, event: Event) -> None:
    with_appendix = summary.build(engine=moderated, catalogue=catalogue, event=event, moderation_appendix=True)
    document = docx.Document(io.BytesIO(report.docx(summary=with_appendix, catalogue=catalogue)))
    assert ("Heading 1", "Liite: moderointi") in _headings(document)
    assert SECRET in _all_text(document)


class _Page(HTMLParser):
    """What a browser would fetch from elsewhere, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.text: list[str] = []
        self.lang = ""
        self.charts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        for name in ("src", "href"):
            value = values.get(name) or ""
            if value and not value.startswith(("data:", "#")):
                self.remote.append(value)
        if tag == "div" and (values.get("id") or "").startswith("figure-"):
            self.charts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def pages(made: dict[str, summary.Summary], catalogue: Catalogue) -> dict[str, str]:
    return {lang: report.html_page(summary=s, catalogue=catalogue).decode("utf-8") for lang, s in made.items()}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_html_page_loads_nothing_from_elsewhere(pages: dict[str, str], lang: str) -> None:
    parsed = _Page()
    parsed.feed(pages[lang])
    assert parsed.remote == []
    assert parsed.lang == lang
    assert parsed.charts == 2 + 2 * 3  # map, room and stream, then a rating and a poll chart per theme
    assert "Plotly.newPlot" in pages[lang] and "cdn" not in re.sub(r"<script>.*?</script>", "", pages[lang], flags=re.S)


def test_the_html_page_shows_participant_text_as_text(pages: dict[str, str]) -> None:
    page = pages["fi"]
    assert "<script>alert(1)</script>" not in page
    parsed = _Page()
    parsed.feed(page)
    assert HOSTILE in "".join(parsed.text)
    assert SECRET not in page


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Yksi.\nSama kappale.\n\nToinen.", [("p", "Yksi. Sama kappale."), ("p", "Toinen.")]),
        ("Kysymyksiä:\n- eka\n- toka", [("p", "Kysymyksiä:"), ("li", "eka"), ("li", "toka")]),
        ("*Luonnos*", [("p", "*Luonnos*")]),
    ],
)
def test_memo_markdown_is_split_into_paragraphs_and_list_items(markdown: str, expected: list[tuple[str, str]]) -> None:
    assert report._blocks(markdown) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("*Luonnos* ja **tärkeää**", [("Luonnos", False, True), (" ja ", False, False), ("tärkeää", True, False)]),
        ("2 * 3 = 6", [("2 * 3 = 6", False, False)]),
    ],
)
def test_memo_emphasis_becomes_runs(line: str, expected: list[tuple[str, bool, bool]]) -> None:
    assert report._runs(line) == expected


def test_libreoffice_renders_the_word_report_into_pages_that_read_as_the_summary(
    made: dict[str, summary.Summary], catalogue: Catalogue, event: Event, tmp_path: Path
) -> None:
    """The way a reader's office suite opens it: converted to PDF, every theme on its own pages."""
    office = shutil.which("soffice")
    require(
        office is not None and shutil.which("pdftotext") is not None,
        reason="no LibreOffice or pdftotext (apt-get install libreoffice-writer-nogui poppler-utils)",
    )
    source = tmp_path / "yhteenveto.docx"
    source.write_bytes(report.docx(summary=made["fi"], catalogue=catalogue))
    env = {**os.environ, "HOME": str(tmp_path)}  # LibreOffice writes its profile under HOME
    subprocess.run(
        [str(office), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240, env=env,
    )  # fmt: skip
    pdf = tmp_path / "yhteenveto.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    sheets = pages.split("\f")
    assert len(sheets) >= 10
    assert "Aluekehittämisen keskustelut 2025" in sheets[0]
    for theme in event.themes:
        # each theme starts a page with its title (a long title wraps, so compare its first words)
        assert any(" ".join(s.split()).startswith(" ".join(theme.title("fi").split()[:3])) for s in sheets), theme.id  # type: ignore[union-attr]
    assert HOSTILE.split("<")[0] in " ".join(pages.split())
