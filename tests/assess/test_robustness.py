"""The adversarial suite: answers written to fool the engine, on every Track II point and a
sample of SemEval questions. Each bar is the measured catch rate (docs/evaluation/robustness.md),
to be raised as the engine improves."""

from __future__ import annotations

import pytest

from assess import Grader
from assess.robustness import (
    ATTACKS,
    PARAPHRASE_CHECKS,
    catch_rates,
    paraphrase_rates,
    semeval_sample,
)
from rubrics import Rubric
from tests.helpers import SEMEVAL

TRACK_II_BARS = {
    "negation": 1.0,
    "question copied": 1.0,
    "model answer copied": 1.0,
    "random letters": 1.0,
    "keyword list": 1.0,
    "padded 3x off-topic": 1.0,
    "shuffled words": 1.0,
    "adverbs inserted": 1.0,
}
SEMEVAL_BARS = {
    "negation": 1.0,
    "question copied": 1.0,
    "model answer copied": 1.0,
    "random letters": 1.0,
    "keyword list": 0.95,
    "padded 3x off-topic": 1.0,
    "shuffled words": 1.0,
    # One case of 20 since the fp32 judge: it reads "Terminals clearly 1, 2 and very 3 are
    # connected indeed to the negative clearly battery terminal" as denying the point.
    "adverbs inserted": 0.95,
}


# Paraphrases the rubric does not hold, and their denials: (bar, cases) per rubric set. The
# Track II exemplars are written in words of their own, and the engine covers nearly half of
# them; the rest read as partial. Denied whole, they earned credit 0.70 of the time until the
# engine read the whole denied clause (`rubrics.words.denied_clause`;
# docs/evaluation/robustness.md). With the pair judge on by default, Track II paraphrases went
# 0.50 -> 0.45 (the judge doubts some paraphrases on other subjects than SemEval's), their
# denials 0.85 -> 0.90, and the SemEval sample's paraphrases 0.83 -> 0.92. Since the judge's
# P(correct) is heard in one-point rubrics only (`GraderConfig.judge_max_points`), Track II's
# three-point rubrics read as without it (0.50 and 0.85), and the SemEval sample reads 0.94;
# the Track II paraphrase bar stays a case below, as the int8 encoder moved one case of 20
# between machines. Paraphrases not called contradicted, with the judge clearing turn words it
# reads as no denial (`GraderConfig.judge_clears_below`): 0.95 and 0.97 (`make eval`); the
# bars sit a case below, these suites running the torch encoder. Track II's denials went
# 0.85 -> 0.90 when misconceptions stopped counting as rivals of a point's denial
# (`ItemAlignment.point_rival`: one often says the point's opposite), and 0.90 -> 1.00 when
# evidence denying a point's own words stopped earning it partial credit where it is not
# called a denial of it (nearer another point, or plainly missing); the bar sits a case below.
PARAPHRASE_BARS = {
    ("track_ii_rubrics", "paraphrase not in the rubric"): (0.45, 20),
    ("track_ii_rubrics", "paraphrase not in the rubric, not denied"): (0.90, 20),
    ("semeval_rubrics", "paraphrase not in the rubric, not denied"): (0.94, 36),
    ("track_ii_rubrics", "its denial (It is not true that ...)"): (0.95, 20),
    ("semeval_rubrics", "paraphrase not in the rubric"): (0.91, 36),
    ("semeval_rubrics", "its denial (It is not true that ...)"): (1.0, 36),
    # SemEval's rubrics have one point each, so there are no others to cover.
    ("track_ii_rubrics", "paraphrase not in the rubric, other points"): (1.0, 48),
}


@pytest.fixture(scope="module")
def track_ii_rubrics(library: dict[str, Rubric]) -> list[Rubric]:
    return [r for k, r in sorted(library.items()) if k.startswith("track-ii")]


@pytest.fixture(scope="module")
def semeval_rubrics() -> list[Rubric]:
    if not SEMEVAL.is_dir():
        pytest.skip(f"SemEval-2013 data not found at {SEMEVAL} (CI has it beside the clone)")
    return semeval_sample(SEMEVAL)


@pytest.fixture(scope="module")
def paraphrases() -> dict[str, dict[str, tuple[float, int]]]:
    """The paraphrase rates of each rubric set, measured once, on first asking."""
    return {}


def test_every_paraphrase_check_has_bars() -> None:
    assert {check for _, check in PARAPHRASE_BARS} == set(PARAPHRASE_CHECKS)


@pytest.mark.parametrize(("rubric_set", "check"), sorted(PARAPHRASE_BARS))
def test_paraphrases_earn_credit_and_their_denials_do_not(
    grader: Grader,
    request: pytest.FixtureRequest,
    paraphrases: dict[str, dict[str, tuple[float, int]]],
    rubric_set: str,
    check: str,
) -> None:
    if rubric_set not in paraphrases:
        paraphrases[rubric_set] = paraphrase_rates(grader, request.getfixturevalue(rubric_set))
    rate, n = paraphrases[rubric_set][check]
    bar, cases = PARAPHRASE_BARS[(rubric_set, check)]
    assert n == cases
    assert rate >= bar


@pytest.fixture(scope="module")
def track_ii_rates(grader: Grader, track_ii_rubrics: list[Rubric]) -> dict[str, tuple[float, int]]:
    return catch_rates(grader, track_ii_rubrics)


@pytest.fixture(scope="module")
def semeval_rates(grader: Grader, semeval_rubrics: list[Rubric]) -> dict[str, tuple[float, int]]:
    return catch_rates(grader, semeval_rubrics)


def test_every_attack_has_a_bar() -> None:
    names = {a.name for a in ATTACKS}
    assert set(TRACK_II_BARS) == names == set(SEMEVAL_BARS)


@pytest.mark.parametrize("attack", sorted(TRACK_II_BARS))
def test_track_ii_points_resist(track_ii_rates: dict[str, tuple[float, int]], attack: str) -> None:
    rate, n = track_ii_rates[attack]
    assert n >= 9
    assert rate >= TRACK_II_BARS[attack]


@pytest.mark.parametrize("attack", sorted(SEMEVAL_BARS))
def test_semeval_questions_resist(semeval_rates: dict[str, tuple[float, int]], attack: str) -> None:
    rate, n = semeval_rates[attack]
    assert n == 20
    assert rate >= SEMEVAL_BARS[attack]
