"""Idea groups: a theme's open ideas gathered into topics that facilitators can read at a glance.

The hand-written discussion below repeats its key words the way a room of participants does;
the fixture's 48 sample inputs are deliberately varied, one idea per thought, so on them only
the ideas that really share words can group (a lexical model has no other evidence).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from alkedash.language import content_lemmas
from alkedash.topics import Idea, IdeaGroup, compound_parts, idea_groups

FIXTURES = Path(__file__).parent / "fixtures"

# (topic, lang, text): five topics in Finnish, one in Swedish and one in English.
DISCUSSION: tuple[tuple[str, str, str], ...] = (
    ("luontokato", "fi", "Luontokato on pysäytettävä kaikilla alueilla."),
    ("luontokato", "fi", "Luontokadon torjuntaan tarvitaan pysyvää rahoitusta."),
    ("luontokato", "fi", "Luontokato näkyy jo metsissä ja soilla."),
    ("luontokato", "fi", "Luontokatoa ei pysäytetä ilman maanomistajien tukea."),
    ("luontokato", "fi", "Maakuntien pitää seurata luontokatoa yhteisillä mittareilla."),
    ("luontokato", "fi", "Luonnon monimuotoisuus ja luontokato kuuluvat kaavoitukseen."),
    ("ennallistaminen", "fi", "Soiden ennallistaminen sitoo hiiltä."),
    ("ennallistaminen", "fi", "Ennallistaminen pitää tehdä yhdessä maanomistajien kanssa."),
    ("ennallistaminen", "fi", "Ojitettujen soiden ennallistaminen parantaa vesistöjen tilaa."),
    ("ennallistaminen", "fi", "Ennallistamiseen tarvitaan korvaukset soiden omistajille."),
    ("tuulivoima", "fi", "Tuulivoima tuo kunnille kiinteistöverotuloja."),
    ("tuulivoima", "fi", "Tuulivoimaloiden sijoittelussa on kuultava asukkaita."),
    ("tuulivoima", "fi", "Tuulivoima ja luonto on sovitettava yhteen kaavoituksessa."),
    ("tuulivoima", "fi", "Tuulivoimahankkeiden tuotot pitää jäädä alueelle."),
    ("tki", "fi", "TKI-rahoitusta tarvitaan myös yliopistokaupunkien ulkopuolelle."),
    ("tki", "fi", "TKI-rahoitus pitää jakaa alueiden vahvuuksien mukaan."),
    ("tki", "fi", "Pienten yritysten TKI-toiminta tarvitsee tukea."),
    ("tki", "fi", "TKI-panostukset ja yliopistot ovat alueen kasvun moottori."),
    ("tki", "en", "R&D funding (TKI-rahoitus) should reach universities outside the capital."),
    ("mångfald", "sv", "Den biologiska mångfalden måste tryggas i alla regioner."),
    ("mångfald", "sv", "Förlusten av biologisk mångfald hotar ekosystemtjänsterna."),
    ("mångfald", "sv", "Biologisk mångfald borde synas i planläggningen."),
    ("mångfald", "sv", "Skogsägare behöver ersättning för att skydda mångfalden."),
    ("biodiversity", "en", "Biodiversity loss is the biggest risk for rural regions."),
    ("biodiversity", "en", "Biodiversity offsets need clear rules."),
    ("biodiversity", "en", "We should measure biodiversity in every regional plan."),
)
TOPIC = {index + 1: topic for index, (topic, _, _) in enumerate(DISCUSSION)}


def discussion() -> list[Idea]:
    return [Idea(id=index + 1, text=text, lang=lang) for index, (_, lang, text) in enumerate(DISCUSSION)]


def sample_rows() -> list[dict[str, str]]:
    with (FIXTURES / "sample_inputs.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sample_ideas() -> list[Idea]:
    return [Idea(id=index + 1, text=row["text"], lang=row["lang"]) for index, row in enumerate(sample_rows())]


def junk_ideas() -> list[Idea]:
    junk = [
        "🌲🌲🌲",
        "😀👍",
        "https://example.com/luontokato?x=1",
        "www.alke.fi",
        "1234 5678",
        "!!!???",
        "",
        "   ",
        "<script>alert('luontokato')</script>",
        "a" * 20_000,
        "luontokato " * 3_000,
        "Luontokato näkyy metsissä. " * 400,
    ]
    return [Idea(id=index + 1, text=text, lang="fi") for index, text in enumerate(junk)]


def group_of(groups: tuple[IdeaGroup, ...], idea_id: int) -> IdeaGroup:
    return next(group for group in groups if idea_id in group.idea_ids)


def test_no_ideas_give_no_groups() -> None:
    assert idea_groups(ideas=[]) == ()


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Luontokato on pysäytettävä."], [((), 1)]),
        (["Luontokato näkyy metsissä.", "Tuulivoima tuo tuloja."], [((), 2)]),
        (
            [
                "Luontokato on pysäytettävä.",
                "Luontokadon torjuntaan tarvitaan rahaa.",
                "Luontokatoa pitää seurata.",
                "Tuulivoima tuo kunnille tuloja.",
            ],
            [(("luontokato",), 3), ((), 1)],
        ),
        (
            [
                "Luontokato näkyy metsissä.",
                "Tuulivoima tuo tuloja.",
                "TKI-rahoitus yliopistoille.",
                "Huoltovarmuus on tärkeää.",
                "Nuorten mielenterveys huolestuttaa.",
            ],
            [((), 5)],
        ),
    ],
    ids=["one idea", "two unrelated", "four with three sharing a word", "five unrelated"],
)
def test_a_few_ideas_form_at_most_one_group_of_those_sharing_words(
    texts: list[str], expected: list[tuple[tuple[str, ...], int]]
) -> None:
    ideas = [Idea(id=index + 1, text=text, lang="fi") for index, text in enumerate(texts)]

    groups = idea_groups(ideas=ideas)

    assert [(group.label, group.size) for group in groups] == expected


@pytest.mark.parametrize("make_ideas", [discussion, sample_ideas, junk_ideas], ids=["discussion", "sample", "junk"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_same_ideas_in_any_order_give_identical_groups(make_ideas: Callable[[], list[Idea]], seed: int) -> None:
    ideas = make_ideas()
    shuffled = list(ideas)
    random.Random(seed).shuffle(shuffled)

    assert idea_groups(ideas=shuffled) == idea_groups(ideas=ideas)


@pytest.mark.parametrize("make_ideas", [discussion, sample_ideas, junk_ideas], ids=["discussion", "sample", "junk"])
def test_every_idea_appears_in_exactly_one_group(make_ideas: Callable[[], list[Idea]]) -> None:
    ideas = make_ideas()

    groups = idea_groups(ideas=ideas)

    listed = [idea_id for group in groups for idea_id in group.idea_ids]
    assert sorted(listed) == sorted(idea.id for idea in ideas)
    assert all(group.size == len(group.idea_ids) for group in groups)


def test_an_id_given_twice_counts_once() -> None:
    ideas = [*discussion(), discussion()[0]]

    groups = idea_groups(ideas=ideas)

    assert sum(group.size for group in groups) == len(DISCUSSION)


@pytest.mark.parametrize("make_ideas", [discussion, sample_ideas], ids=["discussion", "sample"])
def test_representatives_are_the_first_distinct_ideas_of_their_group(make_ideas: Callable[[], list[Idea]]) -> None:
    ideas = {idea.id: idea for idea in make_ideas()}

    groups = idea_groups(ideas=list(ideas.values()))

    for group in groups:
        assert 1 <= len(group.representatives) <= 3
        assert set(group.representatives) <= set(group.idea_ids)
        assert group.representatives[0] == group.idea_ids[0]
        assert len(group.representatives) == min(3, group.size)


@pytest.mark.parametrize(
    ("topic", "label_word"),
    [
        ("luontokato", "luontokato"),
        ("ennallistaminen", "ennallistaminen"),
        ("tuulivoima", "tuulivoima"),
        ("tki", "TKI"),
        ("mångfald", "mångfald"),
        ("biodiversity", "biodiversity"),
    ],
)
def test_a_discussion_separates_into_one_labelled_group_per_topic(topic: str, label_word: str) -> None:
    groups = idea_groups(ideas=discussion())

    ids = {idea_id for idea_id, t in TOPIC.items() if t == topic}
    (group,) = {group_of(groups, idea_id) for idea_id in ids}
    assert set(group.idea_ids) == ids
    assert label_word in group.label
    assert 1 <= len(group.label) <= 3


def test_swedish_ideas_group_with_each_other() -> None:
    groups = idea_groups(ideas=discussion())

    swedish = {index + 1 for index, (_, lang, _) in enumerate(DISCUSSION) if lang == "sv"}
    group = group_of(groups, min(swedish))
    assert set(group.idea_ids) == swedish
    assert {"mångfald", "biologisk"} <= set(group.label)


def test_max_groups_caps_the_number_of_labelled_groups() -> None:
    for max_groups in (1, 2, 3):
        groups = idea_groups(ideas=discussion(), max_groups=max_groups)
        assert len([group for group in groups if group.label]) <= max_groups
        assert sum(group.size for group in groups) == len(DISCUSSION)
    with pytest.raises(ValueError, match="max_groups"):
        idea_groups(ideas=discussion(), max_groups=0)


def test_groups_come_largest_first_and_the_ungrouped_last() -> None:
    ideas = [*discussion(), Idea(id=100, text="🌲🌲", lang="fi"), Idea(id=101, text="Kahvi oli hyvää.", lang="fi")]

    groups = idea_groups(ideas=ideas)

    labelled = [group for group in groups if group.label]
    assert [(-g.size, g.label) for g in labelled] == sorted((-g.size, g.label) for g in labelled)
    assert groups[-1].label == ()
    assert set(groups[-1].idea_ids) == {100, 101}
    assert sum(1 for group in groups if not group.label) == 1


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ["TKI-rahoitusta alueille.", "TKI-rahoitus yliopistoille.", "Lisää TKI-rahoitusta yrityksille."],
            "TKI-rahoitus",
        ),
        (["EU:n rahoitus on tärkeää.", "EU:n aluepolitiikka jatkuu.", "EU päättää liikaa."], "EU"),
        (["Åland har egen beredskap.", "Åland behöver färjor.", "På Åland saknas vård."], "Åland"),
    ],
)
def test_labels_are_written_as_participants_write_them(texts: list[str], expected: str) -> None:
    lang = "sv" if "Åland" in expected else "fi"
    ideas = [Idea(id=index + 1, text=text, lang=lang) for index, text in enumerate(texts)]

    (group,) = idea_groups(ideas=ideas)

    assert group.label[0] == expected


def test_a_shared_prefix_is_shown_in_the_case_of_its_compound() -> None:
    groups = idea_groups(ideas=discussion())

    tki = group_of(groups, 15)
    assert "TKI" in tki.label
    assert "tki" not in tki.label


@pytest.mark.parametrize(
    ("vocabulary", "word", "parts"),
    [
        ({"luonto", "luontokato"}, "luontokato", ("luonto",)),
        ({"beredskap", "krisberedskap"}, "krisberedskap", ("beredskap",)),
        ({"tki-rahoitus"}, "tki-rahoitus", ("rahoitus", "tki")),
        ({"talous", "maatalous"}, "maatalous", None),  # a short ending is too often generic
        ({"kunta", "paikkakunta"}, "paikkakunta", None),
        ({"tila", "tilannekuva"}, "tilannekuva", None),  # a short beginning is too often chance
        ({"luontokato"}, "luontokato", None),  # parts come from the discussion's own words
    ],
)
def test_compounds_count_as_their_parts_that_the_discussion_uses(
    vocabulary: set[str], word: str, parts: tuple[str, ...] | None
) -> None:
    assert compound_parts(vocabulary=vocabulary).get(word) == parts


def test_compounds_join_the_group_of_their_part() -> None:
    texts = [
        "Tuulivoima tuo kunnille tuloja.",
        "Tuulivoimaloiden sijoittelussa on kuultava asukkaita.",
        "Tuulivoimahankkeiden tuotot pitää jäädä alueelle.",
        "Tuulivoimarakentaminen muuttaa maisemaa.",
        "TKI-rahoitus yliopistoille.",
        "TKI-toiminta tarvitsee tukea.",
        "TKI-panostukset kasvavat.",
    ]
    ideas = [Idea(id=index + 1, text=text, lang="fi") for index, text in enumerate(texts)]

    groups = idea_groups(ideas=ideas)

    assert [(group.label, set(group.idea_ids)) for group in groups] == [
        (("tuulivoima",), {1, 2, 3, 4}),
        (("TKI",), {5, 6, 7}),
    ]


@pytest.mark.parametrize(
    ("label_word", "theme"),
    [("luonto", "T2"), ("kriisi", "T3"), ("investointi", "T1")],
)
def test_sample_ideas_group_within_their_theme_where_they_share_words(label_word: str, theme: str) -> None:
    rows = sample_rows()

    groups = idea_groups(ideas=sample_ideas())

    (group,) = [group for group in groups if label_word in group.label]
    assert {rows[idea_id - 1]["theme"] for idea_id in group.idea_ids} == {theme}
    assert group.size >= 2


def test_sample_biodiversity_ideas_in_swedish_share_a_group() -> None:
    rows = sample_rows()
    ids = {index + 1 for index, row in enumerate(rows) if row["id"] in {"sv01", "sv12"}}

    groups = idea_groups(ideas=sample_ideas())

    assert len({group_of(groups, idea_id) for idea_id in ids}) == 1
    assert group_of(groups, min(ids)).label


def test_sample_ideas_with_no_shared_word_stay_ungrouped() -> None:
    ideas = sample_ideas()
    lemmas = [content_lemmas(text=idea.text, lang=idea.lang) for idea in ideas]
    parts = compound_parts(vocabulary={word for doc in lemmas for word in doc})
    words = [{*doc, *(part for word in doc for part in parts.get(word, ()))} for doc in lemmas]
    df = Counter(word for doc in words for word in doc)
    loners = {idea.id for idea, doc in zip(ideas, words, strict=True) if all(df[word] == 1 for word in doc)}

    groups = idea_groups(ideas=ideas)

    assert loners
    assert loners <= set(groups[-1].idea_ids)
    assert groups[-1].label == ()


def test_repeated_ideas_group_together_and_show_once_among_representatives() -> None:
    rng = random.Random(5)
    texts = [row["text"] for row in sample_rows() if row["theme"] == "T2" and row["lang"] == "fi"]
    ideas = [
        Idea(id=index + 1, text=f"{rng.choice(texts)} ({rng.randint(1, 999)})", lang="fi", votes=rng.randint(0, 5))
        for index in range(200)
    ]
    by_id = {idea.id: idea for idea in ideas}

    groups = idea_groups(ideas=ideas)

    for group in groups:
        shown = [by_id[idea_id].text.rsplit(" (", 1)[0] for idea_id in group.representatives]
        assert len(shown) == len(set(shown))
        same_text = Counter(by_id[idea_id].text.rsplit(" (", 1)[0] for idea_id in group.idea_ids)
        for text, count in same_text.items():
            everywhere = sum(1 for idea in ideas if idea.text.startswith(text))
            assert count == everywhere, f"{text!r} is split between groups"


def test_equally_typical_ideas_are_ordered_by_upvotes() -> None:
    texts = ["Luontokato on pysäytettävä.", "Tuulivoima tuo kunnille tuloja."] * 4
    ideas = [Idea(id=index + 1, text=text, lang="fi", votes=index) for index, text in enumerate(texts)]

    groups = idea_groups(ideas=ideas)

    for group in groups:
        votes = [ideas[idea_id - 1].votes for idea_id in group.idea_ids]
        assert votes == sorted(votes, reverse=True)
    assert {group.representatives for group in groups} == {(7,), (8,)}


def test_junk_input_is_ungrouped_without_errors() -> None:
    groups = idea_groups(ideas=junk_ideas())

    assert sum(group.size for group in groups) == len(junk_ideas())
    junk_only = {1, 2, 3, 4, 5, 6, 7, 8, 10}  # emoji, links, numbers, punctuation, blanks, one long "word"
    assert junk_only <= set(groups[-1].idea_ids)
    assert groups[-1].label == ()


def test_junk_does_not_disturb_real_groups() -> None:
    junk = [Idea(id=1000 + idea.id, text=idea.text, lang=idea.lang) for idea in junk_ideas()]

    with_junk = idea_groups(ideas=[*discussion(), *junk])
    without = idea_groups(ideas=discussion())

    # Only the texts that mention "luontokato" (the long ones, the script tag) have words: they join that group.
    real = [(g.label[0], {i for i in g.idea_ids if i < 1000}) for g in with_junk if g.label]
    assert real == [(g.label[0], set(g.idea_ids)) for g in without if g.label]
    assert set(group_of(with_junk, 1).idea_ids) - set(group_of(without, 1).idea_ids) == {1009, 1011, 1012}


@pytest.mark.parametrize("lang", ["de", "", "SV-fi", "xx"])
def test_an_unknown_or_odd_language_code_is_read_as_usual(lang: str) -> None:
    ideas = [Idea(id=i, text=text, lang=lang) for i, (_, _, text) in enumerate(DISCUSSION[:10], start=1)]

    groups = idea_groups(ideas=ideas)

    assert sum(group.size for group in groups) == 10


def test_two_thousand_ideas_form_a_handful_of_labelled_groups_that_cover_them_all() -> None:
    """Size only; the time it takes is measured by `python -m bench.topics`, not asserted here."""
    rng = random.Random(2025)
    rows = sample_rows()
    ideas = []
    for index in range(2_000):
        first, second = rng.sample(rows, 2)
        text = f"{first['text']} {second['text'].split('.')[0]} ({rng.randint(1, 999)})"
        ideas.append(Idea(id=index + 1, text=text, lang=first["lang"], votes=rng.randint(0, 9)))

    groups = idea_groups(ideas=ideas)

    assert 2 <= len([group for group in groups if group.label]) <= 8
    assert sum(group.size for group in groups) == 2_000
