"""Answers written to fool the engine, and whether it catches them (the adversarial suite).

Each attack turns one rubric point into an answer and states what the engine should say about
it; `catch_rates` reports, per attack, the share of points where it did.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assess.datasets import read_split, split_path
from assess.grader import Grader
from assess.result import AssessmentResult
from rubrics import Rubric, RubricPoint
from rubrics.words import STOPWORDS, as_sentence, tokens

OFF_TOPIC = (
    "The weather in the capital was mild that spring, and the markets were busy every "
    "morning. Farmers brought apples, cheese and fresh bread from the valleys nearby. "
    "Children played football in the square until the evening bells rang. "
)
AUXILIARIES = ("is", "are", "was", "were", "can", "will", "does", "do", "has", "have", "should")
FILLERS = ("really", "clearly", "very", "truly", "indeed")


@dataclass(frozen=True)
class Attack:
    """How to write the answer, and whether a result resists it."""

    name: str
    expected: str
    write: Callable[[Rubric, RubricPoint, random.Random], str]
    caught: Callable[[AssessmentResult, str], bool]


def negate(text: str) -> str:
    """The point's claim denied: `not` after its first auxiliary, or `does not` before its
    leading verb ("Fosters trust" -> "It does not foster trust"); a `not` of its own removed."""
    words = text.split()
    if "not" in words:  # a point that denies something is negated by affirming it
        at = words.index("not")
        return " ".join(words[:at] + words[at + 1 :])
    for n, word in enumerate(words):
        if word.lower() in AUXILIARIES:
            return " ".join([*words[: n + 1], "not", *words[n + 1 :]])
    first = words[0]
    if first.lower().endswith("s") and first.lower() not in STOPWORDS:
        return " ".join(["It does not", first[:-1].lower(), *words[1:]])
    return deny_whole(text)


def deny_whole(text: str) -> str:
    """The whole claim denied, in a form that reads right whatever the sentence: `negate`'s
    word-level rules are written for rubric points ("Fosters trust") and garble a student's
    sentence ("Governments often ignore" -> "It does not government often ignore")."""
    return "It is not true that " + text[0].lower() + text[1:]


def keywords(point: RubricPoint) -> str:
    """A bare list of the point's content words, in order, each once."""
    seen: list[str] = []
    for word in tokens(" ".join(point.texts)):
        if word not in STOPWORDS and len(word) > 2 and word not in seen:
            seen.append(word)
    return ", ".join(seen)


def random_letters(rng: random.Random, n_words: int = 12) -> str:
    """Words of random letters."""
    letters = string.ascii_lowercase
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n_words)
    )


def padded(text: str) -> str:
    """The answer, as a finished sentence, followed by three times its length of off-topic
    text. (Many SemEval reference answers end without a full stop: glued on as they are, the
    point and the first off-topic sentence would read as one run-on sentence.)"""
    target = 3 * len(text.split())
    filler = (OFF_TOPIC * (target // len(OFF_TOPIC.split()) + 1)).split()[:target]
    return as_sentence(text) + " " + " ".join(filler).rstrip(",") + "."


def shuffled(text: str, rng: random.Random) -> str:
    """The answer's words in random order."""
    words = text.rstrip(".").split()
    for _ in range(10):
        rng.shuffle(words)
        if " ".join(words) != text.rstrip("."):
            break
    return " ".join(words).lower().capitalize() + "."


def embellished(text: str, rng: random.Random) -> str:
    """Adverbs inserted before every third word: the claim is unchanged."""
    words = text.split()
    out = []
    for n, word in enumerate(words):
        if n % 3 == 1:
            out.append(rng.choice(FILLERS))
        out.append(word)
    return " ".join(out)


def _status(result: AssessmentResult, point_id: str) -> str:
    return next(p.status for p in result.points if p.id == point_id)


ATTACKS: tuple[Attack, ...] = (
    Attack("negation", "point contradicted or missing",
           lambda r, p, g: negate(p.text),
           lambda res, pid: _status(res, pid) in ("contradicted", "missing")),
    Attack("question copied", "flag copies_question",
           lambda r, p, g: r.question,
           lambda res, pid: "copies_question" in res.flags),
    Attack("model answer copied", "flag copies_model_answer",
           lambda r, p, g: r.model_answers[0],
           lambda res, pid: "copies_model_answer" in res.flags),
    Attack("random letters", "flag gibberish and score 0",
           lambda r, p, g: random_letters(g),
           lambda res, pid: "gibberish" in res.flags and res.score == 0),
    Attack("keyword list", "flag keyword_list and point not covered",
           lambda r, p, g: keywords(p),
           lambda res, pid: "keyword_list" in res.flags and _status(res, pid) != "covered"),
    Attack("padded 3x off-topic", "point still covered and flag padded",
           lambda r, p, g: padded(p.text),
           lambda res, pid: "padded" in res.flags and _status(res, pid) == "covered"),
    Attack("shuffled words", "point not covered",
           lambda r, p, g: shuffled(p.text, g),
           lambda res, pid: _status(res, pid) != "covered"),
    Attack("adverbs inserted", "point still covered",
           lambda r, p, g: embellished(p.text, g),
           lambda res, pid: _status(res, pid) == "covered"),
)  # fmt: skip


def catch_rates(
    grader: Grader, rubrics: Sequence[Rubric], seed: int = 0
) -> dict[str, tuple[float, int]]:
    """Per attack: the share of (rubric, point) cases caught, and how many cases there were."""
    rng = random.Random(seed)
    rates: dict[str, tuple[float, int]] = {}
    for attack in ATTACKS:
        caught = []
        for rubric in rubrics:
            for point in rubric.points:
                result = grader.assess(rubric, attack.write(rubric, point, rng))
                caught.append(attack.caught(result, point.id))
        rates[attack.name] = (round(sum(caught) / max(len(caught), 1), 3), len(caught))
    return rates


def without_exemplar(rubric: Rubric, point_id: str, exemplar: str) -> Rubric:
    """The rubric with one exemplar of one point taken out, so that an answer saying it is a
    paraphrase the rubric does not hold."""
    points = [
        p.model_copy(update={"exemplars": [e for e in p.exemplars if e != exemplar]})
        if p.id == point_id else p
        for p in rubric.points
    ]  # fmt: skip
    return rubric.model_copy(update={"points": points})


PARAPHRASE_CHECKS = {
    "paraphrase not in the rubric": "point covered",
    "paraphrase not in the rubric, not denied": "point not contradicted",
    "its denial (It is not true that ...)": "point contradicted or missing",
    "paraphrase not in the rubric, other points": "the rubric's other points not covered",
}


def paraphrase_rates(grader: Grader, rubrics: Sequence[Rubric]) -> dict[str, tuple[float, int]]:
    """Each exemplar of each point, taken out of the rubric and given as the answer: the point
    should be covered (an honest paraphrase earns credit), and never contradicted (a claimed
    denial of what a student rightly said misleads the most), and the exemplar denied
    (`deny_whole`) should be contradicted or missing. The attacks above read the point's own
    words; these read words the rubric does not hold, which is what a student writes. In a
    rubric of several points, the paraphrase of one should cover none of the others: a model
    that covers more paraphrases only by crediting everything near them is no better."""
    said_kept: list[bool] = []
    said_not_denied: list[bool] = []
    denied_kept: list[bool] = []
    others_kept: list[bool] = []
    for rubric in rubrics:
        for point in rubric.points:
            for exemplar in point.exemplars:
                held_out = without_exemplar(rubric, point.id, exemplar)
                said = grader.assess(held_out, exemplar)
                denied = grader.assess(held_out, deny_whole(exemplar))
                said_kept.append(_status(said, point.id) == "covered")
                said_not_denied.append(_status(said, point.id) != "contradicted")
                denied_kept.append(_status(denied, point.id) in ("contradicted", "missing"))
                others_kept += [p.status != "covered" for p in said.points if p.id != point.id]
    return {
        name: (round(sum(kept) / max(len(kept), 1), 3), len(kept))
        for name, kept in zip(
            PARAPHRASE_CHECKS,
            (said_kept, said_not_denied, denied_kept, others_kept),
            strict=True,
        )
    }


def semeval_sample(data: Path, per_corpus: int = 10) -> list[Rubric]:
    """Every k-th question of each corpus's train split, as one-point rubrics."""
    chosen: list[Rubric] = []
    for corpus in ("beetle", "sciEntsBank"):
        rubrics = {a.group: a.rubric for a in read_split(split_path(data, corpus, "train"))}
        ordered = [rubrics[k] for k in sorted(rubrics)]
        step = max(len(ordered) // per_corpus, 1)
        chosen.extend(ordered[::step][:per_corpus])
    return chosen


def rates_table(rates: dict[str, dict[str, tuple[float, int]]]) -> list[str]:
    """Markdown rows: one per attack, one column per rubric set."""
    sets = list(rates)
    lines = [
        "| attack | expected | " + " | ".join(sets) + " |",
        "|---|---|" + "---|" * len(sets),
    ]
    expected = {a.name: a.expected for a in ATTACKS} | PARAPHRASE_CHECKS
    for name, wanted in expected.items():
        cells = [
            f"{rates[s][name][0]:.2f} (n={rates[s][name][1]})" if rates[s][name][1] else "-"
            for s in sets
        ]
        lines.append(f"| {name} | {wanted} | " + " | ".join(cells) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the catch rates and write them as Markdown."""
    import argparse

    from assess.config import GraderConfig
    from assess.packaged import add_judge_option, packaged_grader
    from rubrics import library_path, load_rubrics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--out", type=Path, default=Path("docs/evaluation/robustness.md"))
    add_judge_option(parser)
    parser.add_argument("--judge-weight", type=float, default=GraderConfig.judge_weight)
    args = parser.parse_args(argv)
    grader = packaged_grader(args.judge, GraderConfig(judge_weight=args.judge_weight))
    track_ii = list(load_rubrics(library_path() / "track-ii").values())
    sample = semeval_sample(args.data)
    rates = {
        "Track II points": catch_rates(grader, track_ii) | paraphrase_rates(grader, track_ii),
        "SemEval sample (20 questions)": catch_rates(grader, sample)
        | paraphrase_rates(grader, sample),
    }
    lines = [
        "# Robustness: answers written to fool the engine",
        "",
        "Produced by `python -m assess.robustness --data ../shared/data/semeval2013-3way`. "
        "Each attack turns one rubric point into an answer (`assess/robustness.py`); the rate "
        "is the share of points where the engine said what is expected. The last four rows "
        "read each exemplar of each point, taken out of the rubric, as the answer, and then "
        "that exemplar denied whole: words the rubric does not hold, as a student writes them "
        "(`paraphrase_rates`); the last counts, per paraphrase, each other point of its rubric "
        "(none in SemEval's one-point rubrics). `tests/assess/test_robustness.py` holds the "
        "engine to these rates.",
        "",
        *rates_table(rates),
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(rates_table(rates)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
