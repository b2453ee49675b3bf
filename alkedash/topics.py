"""Idea groups: the open ideas of a theme gathered into topics, each named by its top words.

Facilitators watch the groups grow during the discussion, and the summary reports them
afterwards. An idea is a sentence or two typed on a phone, so the model is lexical and
small: lemmas from `alkedash.language` (so "luontokadon" and "luontokato" are one word),
weighted by TF-IDF and factorised with NMF. There is no translation: ideas in Swedish or
English group with ideas that share their words, which in practice means their own language.

Why these choices:

* NMF rather than KMeans: a topic is a weighted word list, which is what the label shows,
  and each idea gets a weight per topic, which ranks the representatives. The start is
  `nndsvda` (an SVD, not random seeds, so there are no restarts to pay for); plain `nndsvd`
  never converged on some small themes. With a fixed `random_state` for the randomized SVD
  and the input sorted by id, the same ideas always give the same groups.
* Compound parts: Finnish and Swedish write one topic as many compounds. A lemma also
  counts as its hyphen parts (TKI-rahoitus: tki, rahoitus) and as those beginnings (5+
  letters) and endings (7+ letters) that are lemmas of the same discussion themselves, so
  "luontokato" meets "luonto" and "krisberedskap" meets "beredskap". Short endings are left
  out: "maatalous" is not about "talous", nor "paikkakunta" about "kunta".
* Words of a single idea are dropped (`min_df=2`): they cannot join two ideas. An idea with
  nothing left shares no word with any other one, and is shown as ungrouped.
* The number of groups is the k in 2..`max_groups` whose groups have the best silhouette
  (cosine, ties to the smaller k), and at most half the groupable ideas, as a group needs
  two. Below `MIN_IDEAS` groupable ideas a topic model is noise: those ideas form one group.
* Ungrouped ideas (no content words, no shared word, a group of one, or a weak fit to their
  topic) come last in one group with the empty label `()`, so every idea appears exactly once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from alkedash.language import content_lemmas, word_counts

MIN_IDEAS = 6  # groupable ideas needed before topics are modelled
MIN_GROUP = 2  # a group of one is no group
REPRESENTATIVES = 3
LABEL_WORDS = 3
MIN_HEAD = 5  # "luonto" in "luontokato"; shorter beginnings are too often chance ("talo"/"talous")
MIN_TAIL = 7  # "beredskap" in "krisberedskap"; shorter endings are too often generic ("kunta")
MIN_FIT = 0.1  # cosine of an idea to its topic's words, below which it fits no group
DISPLAY_VOTES = 25  # ideas per label word whose spelling decides its display form
SILHOUETTE_ROWS = 1000  # the choice of k looks at an evenly spaced sample of this many ideas
_NMF_ITERATIONS = 200
_NMF_TOLERANCE = 1e-3  # enough for the argmax that assigns groups; 1e-4 took 40 % longer for 98 % the same


@dataclass(frozen=True, slots=True)
class Idea:
    """One open idea as read from the store."""

    id: int
    text: str
    lang: str
    votes: int = 0


@dataclass(frozen=True, slots=True)
class IdeaGroup:
    """A topic: `label` in display forms (empty for the ungrouped ideas), ids most representative first."""

    label: tuple[str, ...]
    idea_ids: tuple[int, ...]
    representatives: tuple[int, ...]
    size: int


Vector = npt.NDArray[np.float64]
Labels = npt.NDArray[np.intp]


def compound_parts(*, vocabulary: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The parts each lemma also counts as; from the discussion's own words, so no dictionary is needed."""
    words = set(vocabulary)
    parts: dict[str, tuple[str, ...]] = {}
    for word in words:
        if "-" in word:
            found = {part for part in word.split("-") if len(part) >= 2 and part.isalpha()}
        else:
            heads = (word[:cut] for cut in range(MIN_HEAD, len(word) - 1))
            tails = (word[cut:] for cut in range(3, len(word) - MIN_TAIL + 1))
            found = {part for part in (*heads, *tails) if part in words}
        found.discard(word)
        if found:
            parts[word] = tuple(sorted(found))
    return parts


def _analyzer(doc: Sequence[str]) -> Sequence[str]:
    return doc


def _choose_k(*, x: sparse.csr_matrix, max_groups: int) -> tuple[Labels, Vector]:
    """Group per topic and the idea's fit to it, for the k whose groups separate best."""
    rows = x.shape[0]
    sample = np.unique(np.linspace(0, rows - 1, min(rows, SILHOUETTE_ROWS)).astype(np.intp))
    x_sample = x[sample]
    distances = np.clip(1.0 - (x_sample @ x_sample.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best: tuple[float, Labels, Vector] | None = None
    for k in range(2, min(max_groups, rows // MIN_GROUP, x.shape[1]) + 1):
        model = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=_NMF_ITERATIONS, tol=_NMF_TOLERANCE)
        with np.errstate(invalid="ignore"):  # an exact fit rounds its error below zero before the sqrt
            labels: Labels = np.argmax(model.fit_transform(x), axis=1)
        if len(np.unique(labels[sample])) < 2:
            continue
        topics = normalize(model.components_)
        fit: Vector = np.asarray(x.multiply(topics[labels]).sum(axis=1), dtype=np.float64).ravel()
        score = float(silhouette_score(distances, labels[sample], metric="precomputed"))
        if best is None or score > best[0]:
            best = (score, labels, fit)
    if best is None:
        return np.zeros(rows, dtype=np.intp), np.ones(rows)
    return best[1], best[2]


def _one_group(*, x: sparse.csr_matrix) -> tuple[Labels, Vector]:
    """Few ideas: the ones sharing words form one group, ranked by closeness to their mean."""
    centre = normalize(np.asarray(x.mean(axis=0)))
    fit: Vector = np.asarray(x @ centre.T, dtype=np.float64).ravel()
    return np.zeros(x.shape[0], dtype=np.intp), fit


def _label(
    *,
    docs: Sequence[Sequence[str]],
    lemmas: Sequence[Sequence[str]],
    members: Sequence[int],
    corpus_df: Counter[str],
    parts: dict[str, tuple[str, ...]],
) -> tuple[str, ...]:
    """Top lemmas: frequent in the group and concentrated there (df² / corpus df), shared by two ideas.

    A word and its own part say the same thing twice ("TKI-rahoitus", "tki"), so only the
    better-scoring of the two is kept; on a tie the word participants wrote wins over a part.
    """
    group_df = Counter(word for i in members for word in set(docs[i]))
    written = {word for i in members for word in lemmas[i]}
    ranked = sorted(
        (
            (-(count * count) / corpus_df[word], word not in written, word)
            for word, count in group_df.items()
            if count >= min(MIN_GROUP, len(members)) and corpus_df[word] >= MIN_GROUP
        ),
    )
    chosen: list[str] = []
    for _, _, word in ranked:
        if any(word in parts.get(other, ()) or other in parts.get(word, ()) for other in chosen):
            continue
        chosen.append(word)
        if len(chosen) == LABEL_WORDS:
            break
    return tuple(chosen)


def _displays(
    *, ideas: Sequence[Idea], lemmas: Sequence[Sequence[str]], words: set[str], parts: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """Display forms of the label words, voted on by the first ideas that use them (enough for casing)."""
    wanted = words | {compound for compound, ps in parts.items() if words.intersection(ps)}
    taken: Counter[str] = Counter()
    texts: list[tuple[str, str]] = []
    for idea, doc in zip(ideas, lemmas, strict=True):
        useful = [word for word in set(doc) & wanted if taken[word] < DISPLAY_VOTES]
        if useful:
            taken.update(useful)
            texts.append((idea.text, idea.lang))
    return {count.lemma: count.display for count in word_counts(texts=texts) if count.lemma in wanted}


def _display(*, word: str, displays: dict[str, str], parts: dict[str, tuple[str, ...]]) -> str:
    """The form participants typed; a part never typed alone borrows it from a compound ("TKI")."""
    if word in displays:
        return displays[word]
    for compound in sorted(w for w, ps in parts.items() if word in ps and w in displays):
        shown = displays[compound]
        for segment in shown.split("-"):
            if segment.casefold() == word:
                return segment
        if shown.casefold().startswith(word):
            return shown[: len(word)]
        if shown.casefold().endswith(word):
            return shown[-len(word) :]
    return word


def _ranked(*, ideas: Sequence[Idea], members: Iterable[int], fit: Vector) -> list[int]:
    """Best fit first; fits equal to the hundredth are ordered by upvotes, then by id."""
    return sorted(members, key=lambda i: (-round(float(fit[i]), 2), -ideas[i].votes, ideas[i].id))


def _group(
    *,
    ideas: Sequence[Idea],
    members: Sequence[int],
    fit: Vector,
    lemmas: Sequence[Sequence[str]],
    label: tuple[str, ...],
) -> IdeaGroup:
    ranked = _ranked(ideas=ideas, members=members, fit=fit)
    return IdeaGroup(
        label=label,
        idea_ids=tuple(ideas[i].id for i in ranked),
        representatives=_representatives(ideas=ideas, ranked=ranked, lemmas=lemmas),
        size=len(ranked),
    )


def _representatives(
    *, ideas: Sequence[Idea], ranked: Sequence[int], lemmas: Sequence[Sequence[str]]
) -> tuple[int, ...]:
    """The top ideas that say different things: a repeated idea shows once."""
    chosen: list[int] = []
    seen: set[tuple[str, ...]] = set()
    for i in ranked:
        key = tuple(sorted(lemmas[i])) or (ideas[i].text.strip().casefold(),)
        if key not in seen:
            seen.add(key)
            chosen.append(ideas[i].id)
            if len(chosen) == REPRESENTATIVES:
                break
    return tuple(chosen)


def idea_groups(*, ideas: Sequence[Idea], max_groups: int = 8) -> tuple[IdeaGroup, ...]:
    """Topics of a theme's ideas, largest first, the ungrouped ideas last with the label `()`.

    The input is sorted by id (one idea per id) before anything else, so the same ideas in any
    order give the same groups.
    """
    if max_groups < 1:
        raise ValueError(f"max_groups must be at least 1, not {max_groups}")
    unique: dict[int, Idea] = {}
    for idea in sorted(ideas, key=lambda i: (i.id, i.text, i.lang, i.votes)):
        unique.setdefault(idea.id, idea)
    ordered = list(unique.values())
    if not ordered:
        return ()
    lemmas = [content_lemmas(text=idea.text, lang=idea.lang) for idea in ordered]
    parts = compound_parts(vocabulary={word for doc in lemmas for word in doc})
    docs = [[*doc, *(part for word in doc for part in parts.get(word, ()))] for doc in lemmas]
    corpus_df = Counter(word for doc in docs for word in set(doc))

    group_of = np.full(len(ordered), -1, dtype=np.intp)
    fit: Vector = np.zeros(len(ordered))
    if any(count >= MIN_GROUP for count in corpus_df.values()):
        vectorizer = TfidfVectorizer(analyzer=_analyzer, min_df=MIN_GROUP, sublinear_tf=True, dtype=np.float64)
        x = sparse.csr_matrix(vectorizer.fit_transform(docs))
        groupable = np.flatnonzero(x.getnnz(axis=1) > 0)
        x = x[groupable]
        # One BLAS thread (process-wide while this runs, as in scikit-learn's own KMeans): the
        # matrices are small, and on 2 cores OpenBLAS threads made the randomized SVD that
        # starts NMF 2-10x slower, worse when other processes were busy.
        with threadpool_limits(limits=1, user_api="blas"):
            if len(groupable) >= MIN_IDEAS and max_groups >= 2:
                labels, fits = _choose_k(x=x, max_groups=max_groups)
            else:
                labels, fits = _one_group(x=x)
        fits_enough = fits >= MIN_FIT
        group_of[groupable[fits_enough]] = labels[fits_enough]
        fit[groupable] = fits
        sizes = np.bincount(group_of[group_of >= 0], minlength=1)
        group_of[(group_of >= 0) & (sizes[np.maximum(group_of, 0)] < MIN_GROUP)] = -1

    labels_of: dict[int, tuple[str, ...]] = {}
    for number in np.unique(group_of[group_of >= 0]).tolist():
        members = np.flatnonzero(group_of == number).tolist()
        label = _label(docs=docs, lemmas=lemmas, members=members, corpus_df=corpus_df, parts=parts)
        if label:
            labels_of[number] = label
        else:  # no word shared within the group: its ideas are ungrouped after all
            group_of[members] = -1
    displays = _displays(
        ideas=ordered, lemmas=lemmas, words={w for label in labels_of.values() for w in label}, parts=parts
    )
    groups = [
        _group(
            ideas=ordered,
            members=np.flatnonzero(group_of == number).tolist(),
            fit=fit,
            lemmas=lemmas,
            label=tuple(_display(word=word, displays=displays, parts=parts) for word in label),
        )
        for number, label in labels_of.items()
    ]
    groups.sort(key=lambda group: (-group.size, group.label, group.idea_ids))
    rest = np.flatnonzero(group_of < 0).tolist()
    if rest:
        groups.append(_group(ideas=ordered, members=rest, fit=np.zeros(len(ordered)), lemmas=lemmas, label=()))
    return tuple(groups)
