"""Store → the post-event summary: per theme what was asked, who answered, what was said and how
strongly, in the reader's language.

One `Summary` feeds every format (Word, HTML), so the documents cannot disagree with each other
or with the screen: the numbers come from the same `results` and `analysis` functions, and the
"what was heard" draft is extractive: it counts and quotes the inputs, it never paraphrases them.
Hidden (moderated) inputs are left out, unless the organiser asks for the moderation appendix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from alkedash import analysis, language, results
from alkedash.content import EVENT_ZONE, Catalogue, Event, Question, Text, Theme
from alkedash.models import utcnow

TOP_IDEAS = 10
TOP_WORDS = 15
# A room–stream difference in a mean rating worth a sentence: this far apart, with this many on each side.
RATING_GAP = 0.5
RATING_GAP_MIN_ANSWERS = 5

WORDING: dict[str, Text] = {
    "title": Text(fi="Yhteenveto", sv="Sammanfattning", en="Summary"),
    "theme_scope": Text(fi="Teema: {theme}", sv="Tema: {theme}", en="Theme: {theme}"),
    "when": Text(fi="Aika", sv="Tid", en="Date"),
    "where": Text(fi="Paikka", sv="Plats", en="Venue"),
    "organiser": Text(fi="Järjestäjä", sv="Arrangör", en="Organiser"),
    "made": Text(fi="Koottu {at} (alkedash)", sv="Sammanställd {at} (alkedash)", en="Compiled {at} (alkedash)"),
    "hidden_note": Text(
        fi="Piilotetut (moderoidut) vastaukset eivät ole mukana.",
        sv="Dolda (modererade) svar ingår inte.",
        en="Hidden (moderated) inputs are not included.",
    ),
    "hidden_note_appendix": Text(
        fi="Piilotetut (moderoidut) vastaukset eivät ole mukana tuloksissa; ne on lueteltu liitteessä.",
        sv="Dolda (modererade) svar ingår inte i resultaten; de listas i bilagan.",
        en="Hidden (moderated) inputs are left out of the results; they are listed in the appendix.",
    ),
    "themes": Text(fi="Teemat", sv="Teman", en="Themes"),
    "participation": Text(fi="Osallistuminen", sv="Deltagande", en="Participation"),
    "participation_line": Text(
        fi="Vastanneita osallistujia {people}: salissa {room}, striimin kautta {stream}. Vastauksia {inputs}.",
        sv="Deltagare som svarat: {people}, i salen {room}, via strömningen {stream}. Svar: {inputs}.",
        en="Participants who answered: {people}, {room} in the room and {stream} on the stream. Inputs: {inputs}.",
    ),
    "joined_line": Text(
        fi="Liittyneitä puhelimia {joined} (salissa {room}, striimin kautta {stream}).",
        sv="Anslutna telefoner: {joined} (i salen {room}, via strömningen {stream}).",
        en="Phones that joined: {joined} ({room} in the room, {stream} on the stream).",
    ),
    "regions_line": Text(
        fi="Vastaajia {heard} maakunnasta {total}:sta.",
        sv="Svarande från {heard} av {total} landskap.",
        en="Answers from {heard} of {total} regions.",
    ),
    "silent_line": Text(
        fi="Ei vastauksia maakunnista: {names}.", sv="Inga svar från landskapen: {names}.",
        en="No answers from: {names}.",
    ),
    "by_region": Text(fi="Vastaajat maakunnittain", sv="Svarande per landskap", en="Participants by region"),
    "room_stream": Text(fi="Sali ja striimi", sv="Salen och strömningen", en="Room and stream"),
    "owners": Text(fi="Vastuuministeriöt: {names}", sv="Ansvariga ministerier: {names}",
                   en="Responsible ministries: {names}"),
    "memo_status": Text(fi="Taustamuistion tila: {status}", sv="Bakgrundspromemorians status: {status}",
                        en="Background memo status: {status}"),
    "status_draft": Text(fi="luonnos", sv="utkast", en="draft"),
    "status_commented": Text(fi="kommentoitu", sv="kommenterad", en="commented"),
    "status_final": Text(fi="lopullinen", sv="slutlig", en="final"),
    "contents": Text(fi="Mahdollisia sisältöjä", sv="Möjligt innehåll", en="Possible contents"),
    "results": Text(fi="Tulokset kysymyksittäin", sv="Resultat per fråga", en="Results by question"),
    "answers_line": Text(
        fi="Vastauksia {total}: salissa {room}, striimin kautta {stream}.",
        sv="Svar: {total}, i salen {room}, via strömningen {stream}.",
        en="Answers: {total}, {room} in the room and {stream} on the stream.",
    ),
    "kind_idea": Text(fi="Ideat", sv="Idéer", en="Ideas"),
    "kind_words": Text(fi="Sanapilvi", sv="Ordmoln", en="Word cloud"),
    "kind_rating": Text(fi="Arvio ALKE-kehyksen kohdista", sv="Bedömning av ramens delar",
                        en="Rating of the frame elements"),
    "kind_poll": Text(fi="Kysely", sv="Enkät", en="Poll"),
    "top_ideas": Text(fi="Eniten kannatetut ideat", sv="Idéer med mest stöd", en="Most supported ideas"),
    "col_rank": Text(fi="Sija", sv="Plats", en="Rank"),
    "col_word": Text(fi="Sana", sv="Ord", en="Word"),
    "col_texts": Text(fi="Vastauksia, joissa sana esiintyy", sv="Svar där ordet förekommer",
                      en="Answers using the word"),
    "no_answers": Text(fi="Ei vastauksia.", sv="Inga svar.", en="No answers."),
    "no_words": Text(fi="Vastauksissa ei ollut laskettavia sanoja (vain esim. täytesanoja, numeroita tai emojeja).",
                     sv="Svaren innehöll inga ord att räkna (bara till exempel fyllnadsord, siffror eller emojier).",
                     en="The answers had no words to count (only, for example, filler words, numbers or emoji)."),
    "words_alt": Text(fi="Sanapilvi: {words}", sv="Ordmoln: {words}", en="Word cloud: {words}"),
    "groups": Text(fi="Idearyhmät", sv="Idégrupper", en="Idea groups"),
    "groups_intro": Text(
        fi="Teeman ideat ryhmiteltyinä yhteisten sanojen mukaan; kustakin ryhmästä sen tyypillisimmät ideat.",
        sv="Temats idéer grupperade efter gemensamma ord; för varje grupp dess mest typiska idéer.",
        en="The theme's ideas grouped by the words they share; for each group, its most typical ideas.",
    ),
    "group_line": Text(fi="{label} – {size} ideaa", sv="{label} – {size} idéer", en="{label} – {size} ideas"),
    "ungrouped": Text(
        fi="Ryhmittelemättä {n} ideaa (ei yhteisiä sanoja muiden kanssa).",
        sv="{n} idéer utan grupp (inga gemensamma ord med andra).",
        en="{n} ideas not grouped (no words in common with others).",
    ),
    "highlighted": Text(fi="Fasilitaattorin nostamat vastaukset", sv="Svar som lyfts fram av moderatorn",
                        en="Inputs highlighted by the facilitator"),
    "heard": Text(fi="Mitä keskustelussa kuultiin", sv="Vad som framkom i diskussionen",
                  en="What was heard in the discussion"),
    "heard_intro": Text(
        fi="Luonnos muistion odotettua lopputulemaa varten. Koottu vastauksista laskemalla ja lainaamalla; "
        "mitään ei ole tulkittu tai muotoiltu uudelleen.",
        sv="Utkast till promemorians förväntade resultat. Sammanställt ur svaren genom att räkna och citera; "
        "ingenting har tolkats eller omformulerats.",
        en="A draft for the memo's expected outcome, compiled from the inputs by counting and quoting; "
        "nothing has been interpreted or reworded.",
    ),
    "expected": Text(fi="Muistion odotettu lopputulema", sv="Promemorians förväntade resultat",
                     en="The memo's expected outcome"),
    "f_people": Text(
        fi="Teemaan vastasi {people} osallistujaa ({room} salissa, {stream} striimin kautta) {regions} maakunnasta.",
        sv="{people} deltagare svarade på temat ({room} i salen, {stream} via strömningen) från {regions} landskap.",
        en="{people} participants answered on this theme ({room} in the room, {stream} on the stream), "
        "from {regions} regions.",
    ),
    "f_top_ideas": Text(fi="Eniten kannatusta saivat ideat {items}.", sv="Mest stöd fick idéerna {items}.",
                        en="The ideas with most support were {items}."),
    "f_idea_votes": Text(fi="{quote} ({votes} peukutusta)", sv="{quote} ({votes} röster)",
                         en="{quote} ({votes} upvotes)"),
    "f_group": Text(
        fi="Idearyhmä ”{label}” kokosi {size} ideaa {total}:sta, esimerkiksi {quote}.",
        sv="Idégruppen ”{label}” samlade {size} av {total} idéer, till exempel {quote}.",
        en="The idea group “{label}” gathered {size} of {total} ideas, for example {quote}.",
    ),
    "f_rating_top": Text(
        fi="Kysymyksessä ”{prompt}” tärkeimmiksi arvioitiin {items}.",
        sv="I frågan ”{prompt}” bedömdes viktigast {items}.",
        en="In “{prompt}”, the highest rated were {items}.",
    ),
    "f_rating_low": Text(fi="Vähiten painoa sai {item}.", sv="Minst vikt fick {item}.",
                         en="The lowest rated was {item}."),
    "f_rating_item": Text(fi="{element} (ka {mean}; n = {n})", sv="{element} (medel {mean}; n = {n})",
                          en="{element} (mean {mean}; n = {n})"),
    "f_rating_gap": Text(
        fi="{element}: salissa keskiarvo {room}, striimissä {stream}.",
        sv="{element}: medelvärde {room} i salen, {stream} via strömningen.",
        en="{element}: mean {room} in the room, {stream} on the stream.",
    ),
    "f_poll": Text(
        fi="Kysymykseen ”{prompt}” eniten vastauksia sai ”{option}”: {count}/{total} ({share}).",
        sv="På frågan ”{prompt}” fick ”{option}” flest svar: {count}/{total} ({share}).",
        en="To “{prompt}”, the most common answer was “{option}”: {count}/{total} ({share}).",
    ),
    "f_words": Text(fi="Sanapilven yleisimmät sanat: {items}.", sv="De vanligaste orden i ordmolnet: {items}.",
                    en="The word cloud's most frequent words: {items}."),
    "f_leans": Text(
        fi="{channel} käytettiin selvästi useammin seuraavia sanoja: {items}.",
        sv="{channel} användes följande ord klart oftare: {items}.",
        en="{channel}, these words were used clearly more often: {items}.",
    ),
    "f_leans_room": Text(fi="Salissa", sv="I salen", en="In the room"),
    "f_leans_stream": Text(fi="Striimissä", sv="Via strömningen", en="On the stream"),
    "f_highlighted": Text(fi="Fasilitaattorin nostoja: {n}.", sv="Moderatorns framlyftningar: {n}.",
                          en="Inputs highlighted by the facilitator: {n}."),
    "f_nothing": Text(fi="Teemaan ei tullut vastauksia.", sv="Temat fick inga svar.", en="The theme had no answers."),
    "appendix": Text(fi="Liite: moderointi", sv="Bilaga: moderering", en="Appendix: moderation"),
    "appendix_intro": Text(
        fi="Piilotetut vastaukset ja moderointiloki (kuka piilotti tai nosti mitä ja milloin).",
        sv="Dolda svar och modereringsloggen (vem som dolde eller lyfte fram vad och när).",
        en="Hidden inputs and the moderation log (who hid or highlighted what, and when).",
    ),
    "hidden_inputs": Text(fi="Piilotetut vastaukset", sv="Dolda svar", en="Hidden inputs"),
    "moderation_log": Text(fi="Moderointiloki", sv="Modereringslogg", en="Moderation log"),
    "action_hide": Text(fi="piilotettu", sv="dold", en="hidden"),
    "action_unhide": Text(fi="palautettu näkyviin", sv="visad igen", en="shown again"),
    "action_highlight": Text(fi="nostettu esiin", sv="framlyft", en="highlighted"),
    "action_unhighlight": Text(fi="nosto poistettu", sv="framlyftning borttagen", en="highlight removed"),
    "action_hold": Text(fi="sanasuodatin pidätti tarkistettavaksi", sv="ordfiltret höll kvar för granskning",
                        en="held for review by the word filter"),
    "action_approve": Text(fi="hyväksytty näkyviin", sv="godkänd", en="approved"),
    "actor_word filter": Text(fi="sanasuodatin", sv="ordfiltret", en="word filter"),
    "actor_facilitator": Text(fi="fasilitaattori", sv="facilitator", en="facilitator"),
    "actor_organiser": Text(fi="järjestäjä", sv="arrangör", en="organiser"),
    "action_reject": Text(fi="hylätty (piilotettu)", sv="avvisad (dold)", en="rejected (hidden)"),
}  # fmt: skip

QUOTES = {"fi": ("”", "”"), "sv": ("”", "”"), "en": ("“", "”")}


def say(key: str, *, lang: str, **params: object) -> str:
    return WORDING[key](lang).format(**params)


def quote(text: str, *, lang: str) -> str:
    opening, closing = QUOTES.get(lang, QUOTES["fi"])
    return f"{opening}{text}{closing}"


def number(value: float, *, lang: str, decimals: int = 0) -> str:
    """Finnish and Swedish write 4,5 and 1 200; English 4.5 and 1,200."""
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def percent(value: float, *, lang: str) -> str:
    return f"{number(value, lang=lang)}\u00a0%" if lang != "en" else f"{number(value, lang=lang)}%"


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip


def date_range(*, starts: dt.date, ends: dt.date, lang: str) -> str:
    """20.–21.3.2025 (fi), 20–21.3.2025 (sv), 20–21 March 2025 (en)."""
    if lang == "en":
        end = f"{ends.day} {MONTHS_EN[ends.month - 1]} {ends.year}"
        if starts == ends:
            return end
        if (starts.year, starts.month) == (ends.year, ends.month):
            return f"{starts.day}–{end}"
        return f"{starts.day} {MONTHS_EN[starts.month - 1]} {starts.year} – {end}"
    end = f"{ends.day}.{ends.month}.{ends.year}"
    if starts == ends:
        return end
    dot = "." if lang == "fi" else ""
    if (starts.year, starts.month) == (ends.year, ends.month):
        return f"{starts.day}{dot}–{end}"
    return f"{starts.day}.{starts.month}.{starts.year}–{end}"


def moment(*, at: dt.datetime, lang: str) -> str:
    """A moment in the event's own time zone: 20.3.2025 klo 10.15 / kl. 10.15 / 20 March 2025, 10:15."""
    local = at.astimezone(EVENT_ZONE)
    if lang == "en":
        return f"{local.day} {MONTHS_EN[local.month - 1]} {local.year}, {local:%H:%M}"
    clock = "klo" if lang == "fi" else "kl."
    return f"{local.day}.{local.month}.{local.year} {clock} {local:%H.%M}"


@dataclass(frozen=True, slots=True)
class Quote:
    """An input as written (never reworded), with what the summary says about it."""

    id: int
    text: str
    votes: int = 0
    channel: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    label: tuple[str, ...]
    size: int
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, eq=False)
class QuestionPart:
    """One question's results; which field is set depends on the question's kind."""

    question: Question
    answers: dict[str, int]  # per channel
    top_ideas: tuple[Quote, ...] = ()
    words: tuple[language.WordCount, ...] = ()
    ratings: pd.DataFrame | None = None
    poll: pd.DataFrame | None = None

    @property
    def total(self) -> int:
        return sum(self.answers.values())


@dataclass(frozen=True, eq=False)
class ThemePart:
    theme: Theme
    people: dict[str, int]  # participants who answered, per channel
    inputs: int
    regions_heard: int
    questions: tuple[QuestionPart, ...]
    groups: tuple[Group, ...]
    ungrouped: int
    ideas: int
    highlighted: tuple[Quote, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Summary:
    event: Event
    lang: str
    theme_ids: tuple[str, ...]  # the scope: one theme or all of them
    made_at: dt.datetime
    joined: dict[str, int]  # phones that joined, per channel (event-wide)
    people: dict[str, int]  # participants who answered in scope, per channel
    inputs: int
    by_region: pd.DataFrame  # analysis.by_region: region, participants, inputs
    by_channel: pd.DataFrame  # analysis.by_channel
    themes: tuple[ThemePart, ...]
    moderation: pd.DataFrame | None  # the appendix: every moderation action with its input, when asked

    @property
    def whole_event(self) -> bool:
        return len(self.theme_ids) == len(self.event.themes)


def build(
    *,
    engine: Engine,
    catalogue: Catalogue,
    event: Event,
    lang: str = "fi",
    theme_id: str | None = None,
    moderation_appendix: bool = False,
    made_at: dt.datetime | None = None,
) -> Summary:
    """The summary of the whole event, or of `theme_id` alone, in `lang`."""
    lang = language.lang_code(lang=lang)
    themes = [t for t in event.themes if theme_id is None or t.id == theme_id]
    if not themes:
        raise ValueError(f"event {event.slug} has no theme {theme_id!r}")
    scope = analysis.Filters(event=event.slug, themes=tuple(t.id for t in themes))
    region_codes = [r.code for r in catalogue.regions]
    joined = results.presence(engine=engine, event_slug=event.slug, minutes=1)
    by_channel = analysis.by_channel(engine=engine, filters=scope)
    totals = analysis.totals(engine=engine, filters=scope)
    counts = results.answer_counts(engine=engine, event_slug=event.slug)  # every question's, read once
    parts = tuple(
        _theme_part(engine=engine, catalogue=catalogue, event=event, theme=t, counts=counts, lang=lang) for t in themes
    )
    return Summary(
        event=event,
        lang=lang,
        theme_ids=tuple(t.id for t in themes),
        made_at=made_at or utcnow(),
        joined={str(r.channel): int(r.joined) for r in joined.itertuples()},
        people=_people(engine=engine, filters=scope),
        inputs=totals["inputs"],
        by_region=analysis.by_region(engine=engine, filters=scope, regions=region_codes),
        by_channel=by_channel,
        themes=parts,
        moderation=(
            results.moderation_log(engine=engine, event_slug=event.slug, theme_ids=tuple(t.id for t in themes))
            if moderation_appendix
            else None
        ),
    )


def heard_regions(*, by_region: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The map's regions (codes) with someone answering, and those without; "not given" is neither."""
    on_map = by_region[by_region["region"] != analysis.NOT_GIVEN]
    answered = on_map["participants"] > 0
    return list(on_map.loc[answered, "region"]), list(on_map.loc[~answered, "region"])


def _people(*, engine: Engine, filters: analysis.Filters) -> dict[str, int]:
    """Participants who answered at least once, per channel (a participant has one channel)."""
    return {
        channel: analysis.totals(engine=engine, filters=dataclasses.replace(filters, channels=(channel,)))[
            "participants"
        ]
        for channel in results.CHANNEL_KEYS
    }


def _theme_part(
    *, engine: Engine, catalogue: Catalogue, event: Event, theme: Theme, counts: pd.DataFrame, lang: str
) -> ThemePart:
    filters = analysis.Filters(event=event.slug, themes=(theme.id,))
    questions = tuple(
        _question_part(
            engine=engine,
            event=event,
            question=q,
            answers=results.question_total(counts=counts, question_id=q.id),
        )
        for q in theme.questions
    )
    ideas = analysis.ideas(engine=engine, filters=filters)
    groups = analysis.idea_groups(ideas=ideas) if ideas else ()
    text = {i.id: i for i in ideas}
    labelled = tuple(
        Group(
            label=g.label,
            size=g.size,
            quotes=tuple(Quote(id=i, text=text[i].text, votes=text[i].votes) for i in g.representatives),
        )
        for g in groups
        if g.label
    )
    regions = analysis.by_region(engine=engine, filters=filters, regions=[r.code for r in catalogue.regions])
    heard, _silent = heard_regions(by_region=regions)
    shown = results.highlighted(engine=engine, event_slug=event.slug, question_ids=[q.id for q in theme.questions])
    highlighted = tuple(
        Quote(id=int(r.id), text=str(r.text), votes=int(r.votes), channel=str(r.channel)) for r in shown.itertuples()
    )
    people = _people(engine=engine, filters=filters)
    part = ThemePart(
        theme=theme,
        people=people,
        inputs=analysis.totals(engine=engine, filters=filters)["inputs"],
        regions_heard=len(heard),
        questions=questions,
        groups=labelled,
        ungrouped=sum(g.size for g in groups if not g.label),
        ideas=len(ideas),
        highlighted=highlighted,
        findings=(),
    )
    leaning = analysis.distinctive_words(engine=engine, filters=filters, top=5)
    return dataclasses.replace(
        part, findings=tuple(_findings(part=part, catalogue=catalogue, leaning=leaning, lang=lang))
    )


def _question_part(*, engine: Engine, event: Event, question: Question, answers: dict[str, int]) -> QuestionPart:
    if question.kind == "idea":
        found = results.ideas(engine=engine, event_slug=event.slug, question_ids=[question.id], limit=TOP_IDEAS)
        top = tuple(
            Quote(id=int(r.id), text=str(r.text), votes=int(r.votes), channel=str(r.channel))
            for r in found.itertuples()
        )
        return QuestionPart(question=question, answers=answers, top_ideas=top)
    if question.kind == "words":
        words = results.cloud_words(engine=engine, event_slug=event.slug, question_id=question.id)
        return QuestionPart(question=question, answers=answers, words=words)
    if question.kind == "rating":
        rated = results.ratings(engine=engine, event_slug=event.slug, question_id=question.id)
        return QuestionPart(question=question, answers=answers, ratings=rated)
    polled = results.poll(
        engine=engine, event_slug=event.slug, question_id=question.id, options=[o.id for o in question.options]
    )
    return QuestionPart(question=question, answers=answers, poll=polled)


def _findings(*, part: ThemePart, catalogue: Catalogue, leaning: pd.DataFrame, lang: str) -> list[str]:
    """What was said most strongly, as sentences that count and quote: the strongest first."""
    if not part.inputs:
        return [say("f_nothing", lang=lang)]
    out = [
        say(
            "f_people",
            lang=lang,
            people=sum(part.people.values()),
            room=part.people.get("room", 0),
            stream=part.people.get("stream", 0),
            regions=part.regions_heard,
        )
    ]
    for q in part.questions:
        if q.question.kind == "idea" and q.top_ideas:
            supported = [i for i in q.top_ideas[:3] if i.votes > 0]
            if supported:
                items = ", ".join(
                    say("f_idea_votes", lang=lang, quote=quote(i.text, lang=lang), votes=i.votes) for i in supported
                )
                out.append(say("f_top_ideas", lang=lang, items=items))
    for group in part.groups[:3]:
        if group.quotes:
            out.append(
                say(
                    "f_group",
                    lang=lang,
                    label=" · ".join(group.label),
                    size=group.size,
                    total=part.ideas,
                    quote=quote(group.quotes[0].text, lang=lang),
                )
            )
    for q in part.questions:
        if q.question.kind == "rating" and q.ratings is not None and not q.ratings.empty:
            out.extend(_rating_findings(part=q, catalogue=catalogue, lang=lang))
        elif q.question.kind == "poll" and q.poll is not None and q.total:
            out.extend(_poll_findings(part=q, lang=lang))
        elif q.question.kind == "words" and q.words:
            items = ", ".join(f"{w.display} ({w.count})" for w in q.words[:5])
            out.append(say("f_words", lang=lang, items=items))
    for channel in results.CHANNEL_KEYS:
        words = leaning.loc[leaning["leans"] == channel, "word"].tolist() if not leaning.empty else []
        if words:
            out.append(
                say(
                    "f_leans",
                    lang=lang,
                    channel=say(f"f_leans_{channel}", lang=lang),
                    items=", ".join(quote(w, lang=lang) for w in words),
                )
            )
    if part.highlighted:
        out.append(say("f_highlighted", lang=lang, n=len(part.highlighted)))
    return out


def _rating_findings(*, part: QuestionPart, catalogue: Catalogue, lang: str) -> list[str]:
    assert part.ratings is not None
    data = part.ratings
    both = (
        data.assign(total=data["mean"] * data["answers"]).groupby("element", as_index=False)[["answers", "total"]].sum()
    )
    both["mean"] = both["total"] / both["answers"]
    order = {k: n for n, k in enumerate(catalogue.frame.keys)}
    ranked = sorted(both.itertuples(), key=lambda r: (-float(r.mean), order.get(str(r.element), 99)))

    def item(row: object) -> str:
        return say(
            "f_rating_item",
            lang=lang,
            element=catalogue.frame.element(str(row.element)).title(lang),  # type: ignore[attr-defined]
            mean=number(float(row.mean), lang=lang, decimals=1),  # type: ignore[attr-defined]
            n=int(row.answers),  # type: ignore[attr-defined]
        )

    out = [
        say("f_rating_top", lang=lang, prompt=part.question.prompt(lang), items=", ".join(item(r) for r in ranked[:3]))
    ]
    if len(ranked) > 3:
        out.append(say("f_rating_low", lang=lang, item=item(ranked[-1])))
    per = data.set_index(["element", "channel"])
    for key in (str(r.element) for r in ranked):
        if (key, "room") not in per.index or (key, "stream") not in per.index:
            continue
        room, stream = per.loc[(key, "room")], per.loc[(key, "stream")]
        if min(int(room["answers"]), int(stream["answers"])) < RATING_GAP_MIN_ANSWERS:
            continue
        if abs(float(room["mean"]) - float(stream["mean"])) >= RATING_GAP:
            out.append(
                say(
                    "f_rating_gap",
                    lang=lang,
                    element=catalogue.frame.element(key).title(lang),
                    room=number(float(room["mean"]), lang=lang, decimals=1),
                    stream=number(float(stream["mean"]), lang=lang, decimals=1),
                )
            )
    return out


def _poll_findings(*, part: QuestionPart, lang: str) -> list[str]:
    assert part.poll is not None
    per_option = part.poll.groupby("option", sort=False)["votes"].sum()
    total = int(per_option.sum())
    best = max(part.question.options, key=lambda o: int(per_option.get(o.id, 0)))
    count = int(per_option.get(best.id, 0))
    return [
        say(
            "f_poll",
            lang=lang,
            prompt=part.question.prompt(lang),
            option=best.label(lang),
            count=count,
            total=total,
            share=percent(100.0 * count / total, lang=lang),
        )
    ]
