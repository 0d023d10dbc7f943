"""The pair judge: trained for real (on a few SemEval train answers, so the test
stays quick), exported, loaded offline, and heard by the grader only where it is asked to."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assess import Grader
from assess.judge_training import Recipe, build, progress
from models import ModelLoadError, judge_delta
from models.encoder import file_sha256
from models.judge import LABELS, MANIFEST, ONNX_FILES, PairJudge, load_judge
from models.judge_build import CARD_SCHEMA, DEFAULT_PRECISION, DELTA_FILE, assemble, card_path
from rubrics import Rubric
from tests.helpers import SEMEVAL

POINT = "Fosters trust and understanding among conflicting parties."
PAIRS = [
    (POINT, "Photosynthesis turns sunlight into sugar in the leaves of plants."),
    (POINT, "It helps the two sides build trust and understand each other."),
]


TRAINING_LOG: list[str] = []  # what the module's one small build printed

pytestmark = pytest.mark.skipif(
    not SEMEVAL.is_dir(), reason="../shared/data is not beside this checkout: no data to train on"
)


@pytest.fixture(scope="module")
def judge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("judge") / "judge"
    build(SEMEVAL, out, Recipe(epochs=1, limit=64), log=TRAINING_LOG.append)
    return out


@pytest.fixture(scope="module")
def judge(judge_dir: Path) -> PairJudge:
    return load_judge(judge_dir)


def test_the_card_says_how_the_judge_was_trained(judge: PairJudge, judge_dir: Path) -> None:
    card = json.loads((judge_dir / MANIFEST).read_text())
    assert card["labels"] == list(LABELS)
    assert card["recipe"]["limit"] == 64
    assert "64 answers" in card["training_data"]
    assert judge.info.name == card["name"]
    assert len(judge.info.sha256) == 64
    assert not list(judge_dir.parent.glob("*.partial"))


def test_the_difference_it_wrote_assembles_the_same_judge(
    judge: PairJudge, judge_dir: Path, tmp_path: Path
) -> None:
    delta = judge_dir / DELTA_FILE
    card = json.loads(card_path(delta).read_text())
    assert card["schema"] == CARD_SCHEMA
    assert card["bits"] == judge_delta.DEFAULT_BITS
    again = assemble(delta, tmp_path / "again")
    assert json.loads((again / MANIFEST).read_text())["delta_sha256"] == file_sha256(delta)
    np.testing.assert_allclose(load_judge(again).predict(PAIRS), judge.predict(PAIRS), atol=1e-6)
    onnx = again / ONNX_FILES[DEFAULT_PRECISION]
    built = onnx.stat().st_mtime_ns
    assemble(delta, again)  # up to date: nothing rebuilt
    assert onnx.stat().st_mtime_ns == built


def test_training_says_how_far_it_has_got(judge_dir: Path) -> None:
    # 64 answers are two batches: progress after the first, then the epoch's end.
    assert TRAINING_LOG[0].startswith("training the pair judge on 64 answers")
    assert TRAINING_LOG[1].startswith("epoch 1/1: 1/2 batches, ")
    assert TRAINING_LOG[1].endswith("min left")
    assert TRAINING_LOG[2].startswith("epoch 1/1 done in ")
    assert progress(0, 5, 10, 2, 300.0) == "epoch 1/2: 5/10 batches, 300 s, about 15 min left"


def test_probabilities_are_distributions_in_the_order_given(judge: PairJudge) -> None:
    p = judge.predict(PAIRS)
    assert p.shape == (2, 3)
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    # A judge exported to int8 scales activations per batch, so batch-mates move a
    # probability by a little; the rows must still come back in the order given (they are
    # run shortest first).
    assert np.allclose(judge.predict(PAIRS[::-1])[::-1], p, atol=0.03)
    assert judge.predict([]).shape == (0, 3)


def test_a_pair_reads_the_same_however_it_is_batched_later(judge: PairJudge) -> None:
    first = judge.predict(PAIRS)  # one batch: an int8 judge scales activations over it
    np.testing.assert_array_equal(judge.predict(PAIRS[:1]), first[:1])
    np.testing.assert_array_equal(judge.predict(PAIRS[::-1]), first[::-1])


TRUST_PARAPHRASE = "It helps the two sides build trust and understand each other."


def hearing_the_judge(grader: Grader, judge: PairJudge | None, **config: Any) -> Grader:
    """The same engine hearing this judge (or none), with these settings changed, its
    P(correct) heard in rubrics of any size (Track II's have three points)."""
    judged = grader.calibrated({})
    judged.judge = judge
    judged.config = replace(grader.config, **{"judge_max_points": None, **config})
    return judged


def assert_trust_reads_the_judge(judged: Grader, judge: PairJudge, complement: Rubric) -> None:
    """P(covered) of trust-building is the judge's P(correct), wherever the point is read."""
    result = judged.assess(complement, TRUST_PARAPHRASE)
    trust = next(p for p in result.points if p.id == "trust-building")
    probabilities = judge.predict([(complement.points[1].text, TRUST_PARAPHRASE)])
    if trust.status != "missing":
        assert trust.coverage == pytest.approx(float(probabilities[0][0]), abs=0.05)


def test_the_grader_records_the_judge_and_hears_it_only_on_denials(
    grader: Grader, judge: PairJudge, complement: Rubric
) -> None:
    judged = hearing_the_judge(grader, judge, judge_weight=0.0)
    plain = hearing_the_judge(grader, None).assess(complement, TRUST_PARAPHRASE)
    heard = judged.assess(complement, TRUST_PARAPHRASE)
    assert heard.model.judge == judge.info.name
    assert heard.model.judge_sha256 == judge.info.sha256
    assert plain.model.judge is None
    # With weight 0 the judge never moves P(covered), only denial calls.
    assert [p.coverage for p in heard.points] == [p.coverage for p in plain.points]
    assert {p.status for p in heard.points} <= {"covered", "partial", "missing", "contradicted"}
    assert_trust_reads_the_judge(
        hearing_the_judge(grader, judge, judge_weight=1.0), judge, complement
    )


def test_a_fitted_blend_weighs_the_two_logits(
    grader: Grader, judge: PairJudge, complement: Rubric
) -> None:
    plain = hearing_the_judge(grader, None).assess(complement, TRUST_PARAPHRASE)
    # All weight on the point model's logit: the judge moves nothing (whatever judge_weight).
    own = hearing_the_judge(grader, judge, judge_weight=1.0, judge_blend=(1.0, 0.0, 0.0))
    assert [p.coverage for p in own.assess(complement, TRUST_PARAPHRASE).points] == (
        pytest.approx([p.coverage for p in plain.points], abs=1e-3)
    )
    # All weight on the judge's logit: P(covered) is its P(correct).
    assert_trust_reads_the_judge(
        hearing_the_judge(grader, judge, judge_blend=(0.0, 1.0, 0.0)), judge, complement
    )


def test_random_letters_earn_nothing_however_much_the_judge_decides(
    grader: Grader, judge: PairJudge, library: dict[str, Rubric]
) -> None:
    import random

    from assess.robustness import random_letters

    judged = hearing_the_judge(grader, judge, judge_weight=1.0)
    rng = random.Random(0)
    for key in sorted(k for k in library if k.startswith("track-ii")):
        for _ in library[key].points:
            result = judged.assess(library[key], random_letters(rng))
            assert "gibberish" in result.flags
            assert result.score == 0
            assert {p.status for p in result.points} == {"missing"}


def test_a_missing_judge_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="make setup"):
        load_judge(tmp_path)


def test_a_judge_with_other_labels_is_refused(judge_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(judge_dir, tmp_path / "judge")
    card = tmp_path / "judge" / MANIFEST
    document = json.loads(card.read_text())
    document["labels"] = ["yes", "no"]
    card.write_text(json.dumps(document))
    with pytest.raises(ModelLoadError, match="labels"):
        load_judge(tmp_path / "judge")


def test_saf_pairs_are_answers_with_full_or_no_marks_against_one_reference_sentence() -> None:
    from assess.datasets import read_jsonl
    from assess.judge_data import read_saf_examples

    saf = SEMEVAL.parent / "saf-english"
    examples = read_saf_examples(saf)
    listed = list(read_jsonl(saf / "train.jsonl"))
    rows = {r["answer"]: r for r in listed}
    assert {e.label for e in examples} == {"correct", "incorrect"}
    for example in examples[:50]:
        row = rows[example.answer]
        assert example.group == f"saf/{row['question_id']}"
        assert (example.label == "correct") == (row["score_normalized"] == 1.0)
        assert example.matched == example.references[0]
        assert example.matched in row["reference_answer"]
    # Partly right answers say nothing clear about one sentence of the reference.
    assert len(examples) == sum(r["score_normalized"] in (0.0, 1.0) for r in listed)


def test_peer_pairs_put_a_classmates_correct_answer_in_the_references_place() -> None:
    from assess.judge_data import peer_examples, read_examples, split_groups, training_pair

    fitted, held = split_groups(read_examples(SEMEVAL), 0.2)
    peers = peer_examples(fitted, 1)
    correct = {(e.group, e.answer) for e in fitted if e.label == "correct"}
    labels: dict[tuple[str, str], set[str]] = {}
    for example in fitted:  # the same words may be graded twice, not always alike
        labels.setdefault((example.group, example.answer), set()).add(example.label)
    assert peers and len(peers) <= len(fitted)
    for peer in peers:
        reference, answer = training_pair(peer)
        assert (peer.group, reference) in correct  # a correct answer to the same question
        assert reference != answer
        assert peer.label in labels[(peer.group, answer)]  # the grader's label kept
    # Never across the held-out line: peers come from the questions trained on.
    assert not {p.group for p in peers} & {e.group for e in held}
    assert peer_examples(fitted, 1) == peers  # a fixed draw
    assert len(peer_examples(fitted, 2)) > len(peers)


def test_denials_contract_the_first_auxiliary_or_say_it_is_false() -> None:
    from assess.judge_data import denied

    assert denied("The bulb is in a closed path") == "The bulb isn't in a closed path"
    assert denied("Is in a closed path.") == "Isn't in a closed path."
    assert denied("bulb A creates a gap") == "It is false that bulb A creates a gap"
    # No denial where it would be unclear what is denied.
    assert denied("bulb A is not in a closed path") is None  # a double negative
    assert denied("Because there is a gap") is None  # the reason, not the claim
    assert denied("2. Trace every detail") is None  # a numbered list
    assert denied("a gap") is None  # not a claim


def test_denial_pairs_deny_correct_answers_in_forms_the_robustness_suite_does_not_write() -> None:
    from assess.judge_data import denial_examples, read_examples, split_groups

    fitted, held = split_groups(read_examples(SEMEVAL), 0.2)
    denials = denial_examples(fitted)
    correct = {(e.group, e.references, e.answer) for e in fitted if e.label == "correct"}
    assert len(denials) > len(correct) // 3  # most correct answers get one
    for denial in denials:
        assert denial.label == "contradictory"
        assert denial.answer.startswith("It is false that ") or "n't " in denial.answer
        assert " not " not in f" {denial.answer} " and "It is not true" not in denial.answer
    assert not {d.group for d in denials} & {e.group for e in held}
    assert not any(d.group.startswith("saf/") for d in denials)
    originals = {(d.group, d.references) for d in denials}
    assert originals <= {(g, r) for g, r, _ in correct}


def test_length_batches_cover_every_pair_once_and_group_near_lengths() -> None:
    import random

    from assess.judge_training import length_batches

    draw = random.Random(0)
    lengths = [draw.choice([20, 30, 40, 160]) for _ in range(5000)]
    batches = length_batches(lengths, 32, random.Random(1))
    assert sorted(n for batch in batches for n in batch) == list(range(5000))
    assert len(batches) == -(-5000 // 32) and all(len(b) <= 32 for b in batches)
    padded = sum(max(lengths[n] for n in b) * len(b) for b in batches)
    assert padded < 1.2 * sum(lengths)  # random batches of 32 would pad nearly all to 160
    assert length_batches(lengths, 32, random.Random(1)) == batches
