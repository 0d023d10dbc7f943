"""What the engine says about answers to the Track II questions, on the real packaged model."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from assess import AnswerTooLongError, AssessmentResult, Grader, GraderConfig
from assess.robustness import without_exemplar
from models.calibrator import LogisticCalibrator
from rubrics import Rubric, parse_rubric
from rubrics.words import content_stems
from tests.helpers import with_config

RESULT_FIELDS = {
    "rubric_id", "rubric_version", "answer_id", "score", "max_score", "confidence",
    "needs_review", "points", "flags", "feedback", "model",
}  # fmt: skip
POINT_FIELDS = {"id", "label", "coverage", "status", "evidence"}

TRUST_ONLY = "It helps the two sides build trust in each other."
PHOTOSYNTHESIS = (
    "Photosynthesis is the process by which green plants use sunlight to make glucose from "
    "carbon dioxide and water."
)
# Paraphrases written without the model answers' wording (checked below: few shared words).
PARAPHRASES = {
    "track-ii/complement": (
        "It gives an unofficial, relaxed setting for open conversation away from the pressure "
        "of formal talks. Rivals slowly come to trust one another. The lessons are then fed to "
        "governments and improve the official negotiations."
    ),
    "track-ii/conflict-resolution": (
        "When enemies will not speak to each other at all, unofficial channels get them into "
        "the same room. Impartial mediators such as professors or NGOs run the sessions and "
        "calm suspicions. The groups then work out possible fixes together, and since nothing "
        "is on the record they can float bold proposals no politician could risk in public."
    ),
}


def statuses(result: AssessmentResult) -> dict[str, str]:
    return {p.id: p.status for p in result.points}


@pytest.mark.parametrize(
    "rubric_id", ["track-ii/complement", "track-ii/conflict-resolution", "track-ii/challenges"]
)
def test_each_model_answer_scores_at_least_90_percent(
    grader: Grader, library: dict[str, Rubric], rubric_id: str
) -> None:
    rubric = library[rubric_id]
    for model_answer in rubric.model_answers:
        result = grader.assess(rubric, model_answer)
        assert result.score >= 0.9 * result.max_score, statuses(result)
        assert "copies_model_answer" in result.flags


def test_an_answer_about_trust_covers_only_trust(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(complement, TRUST_ONLY)
    assert statuses(result)["trust-building"] == "covered"
    assert statuses(result)["informal-space"] != "covered"
    assert statuses(result)["informs-official"] != "covered"
    trust = next(p for p in result.points if p.id == "trust-building")
    assert trust.evidence is not None and trust.evidence.text == TRUST_ONLY


def test_an_answer_about_photosynthesis_misses_everything(
    grader: Grader, complement: Rubric
) -> None:
    result = grader.assess(complement, PHOTOSYNTHESIS)
    assert set(statuses(result).values()) == {"missing"}
    assert result.score == 0
    assert "off_topic" in result.flags
    assert all(p.evidence is None for p in result.points)


@pytest.mark.parametrize("answer", ["", "   \n\t ", "?!"])
def test_an_empty_answer_is_flagged_not_silently_zeroed(
    grader: Grader, complement: Rubric, answer: str
) -> None:
    result = grader.assess(complement, answer)
    assert result.flags == ["empty"]
    assert result.score == 0
    assert "empty" in result.feedback


@pytest.mark.parametrize("rubric_id", sorted(PARAPHRASES))
def test_a_paraphrase_with_few_shared_words_still_covers_its_points(
    grader: Grader, library: dict[str, Rubric], rubric_id: str
) -> None:
    rubric, answer = library[rubric_id], PARAPHRASES[rubric_id]
    model_words = set(content_stems(" ".join(rubric.model_answers)))
    words = content_stems(answer)
    assert sum(w in model_words for w in words) / len(words) <= 0.3  # a real paraphrase
    result = grader.assess(rubric, answer)
    assert result.score >= 0.6 * result.max_score, statuses(result)
    assert sum(s == "covered" for s in statuses(result).values()) >= 2
    assert "missing" not in statuses(result).values() or rubric_id.endswith("resolution")


def test_evidence_offsets_slice_the_answer_exactly(
    grader: Grader, library: dict[str, Rubric]
) -> None:
    answer = "  Ça va.\n\nFirst,   trust grows between   rivals — slowly; then ideas reach " \
        "officials who negotiate.\r\nInformal talks   let them speak freely. "  # fmt: skip
    for rubric in library.values():
        for point in grader.assess(rubric, answer).points:
            if point.evidence is not None:
                assert answer[point.evidence.start : point.evidence.end] == point.evidence.text


def test_a_denied_point_is_contradicted_not_covered(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(
        complement, "Track II diplomacy does not build trust between the parties."
    )
    assert statuses(result)["trust-building"] in ("contradicted", "missing")
    assert result.score == 0


@pytest.mark.parametrize(
    ("rubric_id", "point_id", "answer"),
    [
        # "no authority" says what "lack authority" says; the point negates elsewhere.
        ("track-ii/challenges", "lack-of-legitimacy",
         "The participants are not official representatives, so they have no authority and "
         "their influence on decisions is limited."),
        # A negation's reach runs past the relative clause into "dialogue".
        ("track-ii/conflict-resolution", "dialogue-between-parties",
         "It lets parties that would not otherwise communicate have a dialogue."),
    ],
)  # fmt: skip
def test_a_right_answer_phrased_with_a_negation_is_not_called_a_denial(
    grader: Grader, library: dict[str, Rubric], rubric_id: str, point_id: str, answer: str
) -> None:
    """Comparing polarity word by word in points that carry negations of their own (tried as
    point-v3) called both of these contradicted; a claimed denial misleads more than a miss."""
    result = grader.assess(library[rubric_id], answer)
    assert statuses(result)[point_id] == "covered"


def test_a_turn_word_the_judge_reads_as_no_denial_does_not_make_one(
    grader: Grader, library: dict[str, Rubric]
) -> None:
    """ "without" and "nothing" deny nothing here: the judge, which reads the sentence whole,
    all but rules a denial out (`judge_clears_below`), so the point model's guess from the
    turn words is overruled. (The exemplar is the rubric's own, taken out of it so that it is
    words the rubric does not hold, as in the robustness suite.)"""
    answer = "Sensitive proposals can be tested without political cost because nothing is official."
    point = "creative-approaches"
    rubric = without_exemplar(library["track-ii/conflict-resolution"], point, answer)
    assert grader.config.judge_clears_below is not None
    assert statuses(grader.assess(rubric, answer))[point] != "contradicted"
    unchecked = with_config(grader, judge_clears_below=None, judge_clears_unranked_uncredited=False)
    assert statuses(unchecked.assess(rubric, answer))[point] == "contradicted"


def test_an_opposite_word_in_a_sentence_as_near_another_point_denies_neither(
    grader: Grader, complement: Rubric
) -> None:
    """ "meet informally" against "prepares the ground for formal negotiations": an opposite
    word, so the point model guesses a denial. Two guards each clear it: the sentence is as
    near to *informal space* as to this point, so it is clearly about neither
    (`turn_denial_margin`), and the judge ranks the denial below "neither" in a rubric where
    its P(correct) is not heard (`judge_clears_unranked_uncredited`)."""
    answer = "Track II lets enemies build trust because they meet informally."
    point = "informs-official"
    assert statuses(grader.assess(complement, answer))[point] != "contradicted"
    bare = with_config(grader, turn_denial_margin=0.0, judge_clears_unranked_uncredited=False)
    assert statuses(bare.assess(complement, answer))[point] == "contradicted"
    margin = with_config(grader, judge_clears_unranked_uncredited=False)
    assert statuses(margin.assess(complement, answer))[point] != "contradicted"
    ranked = with_config(grader, turn_denial_margin=0.0)
    assert statuses(ranked.assess(complement, answer))[point] != "contradicted"


def test_a_paraphrase_the_judge_reads_as_the_point_is_no_denial_of_it(
    grader: Grader, library: dict[str, Rubric]
) -> None:
    """ "Without a link to formal diplomacy" against "Because it is informal, ... unless it
    is integrated into official channels": turn words on both sides, so the point model
    guesses a denial; the judge reads the point stated (a denial least likely of the three),
    and in a rubric of several points that clears it. (The rubric's own exemplar, taken out
    of it, as in the robustness suite.)"""
    answer = (
        "Without a link to formal diplomacy, its results are hard to turn into durable settlements."
    )
    point = "lasting-agreements"
    rubric = without_exemplar(library["track-ii/challenges"], point, answer)
    assert statuses(grader.assess(rubric, answer))[point] != "contradicted"
    unranked = with_config(grader, judge_clears_unranked_uncredited=False)
    assert statuses(unranked.assess(rubric, answer))[point] == "contradicted"


def test_a_denial_near_a_misconception_still_denies_the_point(
    grader: Grader, complement: Rubric
) -> None:
    """ "does not inform official negotiations" sits nearer to the misconception "Track II
    replaces official negotiations" than to the point it denies: misconceptions are no rivals
    of a point's denial (`ItemAlignment.point_rival`)."""
    result = grader.assess(complement, "Track II does not inform official negotiations.")
    assert statuses(result)["informs-official"] == "contradicted"
    assert "keyword_list" not in result.flags
    assert result.score == 0


def test_a_denial_earns_no_partial_credit_on_the_points_it_is_nearer(
    grader: Grader, library: dict[str, Rubric]
) -> None:
    """A sentence denying a point's words is called a denial only of the point it is about;
    the other points it is near earn nothing from it, not a partial credit."""
    denial = (
        "It is not true that governments often ignore or reject the proposals that come out "
        "of unofficial talks."
    )
    result = grader.assess(library["track-ii/challenges"], denial)
    assert statuses(result)["official-resistance"] == "contradicted"
    assert set(statuses(result).values()) <= {"contradicted", "missing"}
    assert result.score == 0


def test_a_stated_misconception_costs_marks(grader: Grader, complement: Rubric) -> None:
    honest = "Track II fosters trust and understanding among conflicting parties."
    wrong = honest + " Track II diplomacy replaces official negotiations between governments."
    with_misconception = grader.assess(complement, wrong)
    assert with_misconception.score < grader.assess(complement, honest).score
    assert "replaces official diplomacy" in with_misconception.feedback


def test_the_result_has_exactly_the_documented_fields(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(complement, TRUST_ONLY, answer_id="a-1")
    document = json.loads(result.model_dump_json())
    assert set(document) == RESULT_FIELDS
    assert all(set(p) == POINT_FIELDS for p in document["points"])
    assert document["answer_id"] == "a-1"
    assert document["rubric_version"] == complement.version
    assert document["model"] == {
        "name": "all-MiniLM-L6-v2",
        "sha256": grader.encoder.info.sha256,
        "judge": grader.judge.info.name if grader.judge else None,
        "judge_sha256": grader.judge.info.sha256 if grader.judge else None,
        "scorer": "point-v6",
    }
    assert 0 <= document["confidence"] <= 1


def test_feedback_names_missing_points_without_revealing_the_model_answer(
    grader: Grader, complement: Rubric
) -> None:
    result = grader.assess(complement, TRUST_ONLY)
    assert "Missing: informal space for dialogue" in result.feedback
    assert "without the pressure of formal negotiations" not in result.feedback
    assert f"“{TRUST_ONLY}”" in result.feedback


def test_an_overlong_answer_is_refused_not_cut(
    grader: Grader, calibrator: LogisticCalibrator, complement: Rubric
) -> None:
    strict = Grader(grader.encoder, calibrator, GraderConfig(max_answer_chars=100))
    with pytest.raises(AnswerTooLongError, match="the limit is 100"):
        strict.assess(complement, "word " * 30)


def test_a_long_essay_is_assessed_with_evidence_from_anywhere(
    grader: Grader, complement: Rubric
) -> None:
    filler = "The weather in the capital was mild that spring, and markets were busy. " * 120
    essay = filler + TRUST_ONLY + " " + filler
    result = grader.assess(complement, essay)
    trust = next(p for p in result.points if p.id == "trust-building")
    assert trust.status == "covered"
    assert trust.evidence is not None and trust.evidence.text == TRUST_ONLY
    assert len(essay.split()) > 2000


def test_partial_credit_off_counts_only_covered_points(grader: Grader, complement: Rubric) -> None:
    strict = complement.model_copy(
        update={"scoring": complement.scoring.model_copy(update={"partial_credit": False})}
    )
    result = grader.assess(strict, TRUST_ONLY)
    covered = sum(p.status == "covered" for p in result.points)
    assert result.score == pytest.approx(covered / 3 * strict.scoring.max_score, abs=0.01)


def test_the_batch_path_matches_the_single_path(grader: Grader, complement: Rubric) -> None:
    from assess import AnswerRequest

    batch = grader.assess_many(
        [AnswerRequest(complement, TRUST_ONLY, "1"), AnswerRequest(complement, PHOTOSYNTHESIS, "2")]
    )
    assert batch[0] == grader.assess(complement, TRUST_ONLY, "1")
    assert batch[1] == grader.assess(complement, PHOTOSYNTHESIS, "2")


@pytest.mark.parametrize(
    "answer",
    [
        # A paraphrase in words of its own, denied whole: no word the point says is within
        # a negator's reach of three words.
        "It is not true that adversaries get to know each other, which reduces suspicion.",
        "It is false that the sides come to understand one another and feel less hostile.",
    ],
)
def test_a_paraphrase_denied_whole_is_contradicted(
    grader: Grader, complement: Rubric, answer: str
) -> None:
    assert statuses(grader.assess(complement, answer))["trust-building"] == "contradicted"


def test_two_denials_of_a_point_affirm_it(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(
        complement, "It is not true that Track II does not build trust between the parties."
    )
    assert statuses(result)["trust-building"] != "contradicted"


@pytest.mark.parametrize(
    "answer",
    [
        "Track II does not build trust.",
        "Track II diplomacy does not build trust between the parties.",
    ],
)
def test_a_plain_denial_of_a_point_is_contradicted(
    grader: Grader, complement: Rubric, answer: str
) -> None:
    assert statuses(grader.assess(complement, answer))["trust-building"] == "contradicted"


# A point phrased both ways, as SemEval's Beetle references are: "separated by a gap" and
# "not connected" say the same thing.
GAP = {
    "id": "circuits/gap",
    "question": "Explain why you got a voltage reading of 1.5 for terminal 1 and the positive "
    "terminal.",
    "model_answers": ["Terminal 1 and the positive terminal are separated by the gap."],
    "points": [
        {"id": "gap", "label": "separated by the gap",
         "text": "Terminal 1 and the positive terminal are separated by the gap",
         "exemplars": ["Terminal 1 and the positive terminal are not connected"]}
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Terminal 1 and the positive terminal are connected.", {"contradicted"}),
        ("Terminal 1 and the positive terminal are not separated by the gap.", {"contradicted"}),
        ("Terminal 1 is not connected to the positive terminal.", {"covered"}),
        ("There is a gap separating terminal 1 from the positive terminal.", {"covered"}),
    ],
)
def test_a_copy_of_a_phrasing_with_its_polarity_turned_over_is_contradicted(
    grader: Grader, answer: str, expected: set[str]
) -> None:
    rubric = parse_rubric(GAP, source="test")
    assert statuses(grader.assess(rubric, answer))["gap"] in expected


def read_out(result: AssessmentResult) -> tuple[object, ...]:
    """What a result says about an answer, leaving out where its evidence ends."""
    points = [(p.id, p.status, p.coverage) for p in result.points]
    return result.score, result.confidence, result.needs_review, points, result.flags


@pytest.mark.parametrize(
    ("rubric_of", "answer"),
    [
        # Track II's texts end with a stop; GAP's, like Beetle's, do not.
        ("complement", TRUST_ONLY),
        ("complement", PARAPHRASES["track-ii/complement"]),
        ("complement", "Track II does not build any trust between the parties."),
        ("gap", "Terminal 1 is not connected to the positive terminal."),
        ("gap", "the gap separates terminal 1 and the positive terminal."),
        ("gap", "Terminal 1 and the positive terminal are connected."),
    ],
)
def test_a_closing_full_stop_changes_nothing_the_engine_says(
    grader: Grader, complement: Rubric, rubric_of: str, answer: str
) -> None:
    rubric = complement if rubric_of == "complement" else parse_rubric(GAP, source="test")
    stopped = grader.assess(rubric, answer)
    bare = grader.assess(rubric, answer.rstrip("."))
    assert read_out(bare) == read_out(stopped)


@pytest.mark.parametrize(
    "dress",
    [
        lambda t: t.replace("'", "\u2019"),  # a word processor's apostrophes
        lambda t: t.replace("fi", "\ufb01").replace("fl", "\ufb02"),  # a PDF's ligatures
        lambda t: t.replace(" ", "\u00a0"),  # a web page's no-break spaces
        lambda t: f"\u2022 {t}",  # an item of a bulleted list
    ],
    ids=["curly-apostrophes", "ligatures", "no-break-spaces", "bullet"],
)
@pytest.mark.parametrize(
    ("rubric_of", "answer"),
    [
        ("complement", "It isn't official, so people talk freely and build trust."),
        ("complement", "Track II's informal dialogue flows into the official negotiations."),
        ("gap", "the gap isn't letting current flow from terminal 1 to the positive terminal"),
    ],
)
def test_the_same_words_in_pasted_dress_read_the_same(
    grader: Grader, complement: Rubric, rubric_of: str, answer: str, dress: Callable[[str], str]
) -> None:
    """Students paste answers from word processors, PDFs and web pages; the tokenizer read
    some of that dress as unknown tokens (`scripts/surface_invariance.py`)."""
    rubric = complement if rubric_of == "complement" else parse_rubric(GAP, source="test")
    assert dress(answer) != answer
    assert read_out(grader.assess(rubric, dress(answer))) == read_out(grader.assess(rubric, answer))


@pytest.mark.parametrize(
    ("rubric_of", "answer"),
    [
        ("complement", "B. It builds trust between the two sides."),
        ("gap", "C. Because terminal 1 is separated from the positive terminal by the gap."),
    ],
)
def test_an_option_letter_reads_the_same_in_either_case(
    grader: Grader, complement: Rubric, rubric_of: str, answer: str
) -> None:
    """pysbd kept "B. It builds" as one sentence but cut "b." off "b. it builds" as a sentence
    of its own, and the engine read the two answers differently."""
    rubric = complement if rubric_of == "complement" else parse_rubric(GAP, source="test")
    assert read_out(grader.assess(rubric, answer.lower())) == read_out(
        grader.assess(rubric, answer)
    )


def test_a_contraction_reads_as_the_words_in_full(grader: Grader, complement: Rubric) -> None:
    """The judge had learned n't as a denial of its own: "isn't official" (right: Track II is
    unofficial) made the trust the sentence goes on to state contradicted."""
    contracted = grader.assess(
        complement, "It isn't official, so people talk freely and build trust."
    )
    full = grader.assess(complement, "It is not official, so people talk freely and build trust.")
    assert "contradicted" not in statuses(contracted).values()
    assert statuses(contracted) == statuses(full)
    # A denial written with one is still a denial.
    denied = grader.assess(complement, "Track II doesn't build any trust between the parties.")
    assert statuses(denied)["trust-building"] == "contradicted"
