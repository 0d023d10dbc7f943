"""Engine settings with their defaults; the composition roots fill them from user settings."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_ANSWER_CHARS = 20_000


@dataclass(frozen=True)
class GraderConfig:
    """Limits and thresholds of the engine. Every threshold is a probability or a count."""

    max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS
    # Status cut-offs on P(point covered): covered at the Bayes boundary, partial below it
    # while the point is still more than a long shot.
    covered_at: float = 0.5
    partial_at: float = 0.3
    # The point model calls a point that is not covered contradicted when a denial is at
    # least this likely, given that it is not covered, rather than an absence.
    contradicted_at: float = 0.5
    # ... and only while P(covered) stays below this (a near-even call on coverage is a
    # partial answer, not a denial), and only with a negation in the evidence's sentence or
    # the point. On SemEval train, question-grouped CV (scripts/point_decisions.py), the two
    # bars together move 3-way macro-F1 by 0.000 on Beetle and -0.025 on SciEntsBank and cut
    # the answers graders did not call contradictory that the engine calls contradicted from
    # 14.2% to 6.3%; they also keep faithful paraphrases of the Track II points from being
    # called contradictions.
    deny_below: float = 0.4
    # A word swapped for its opposite is the weakest sign of a denial: it turns a point over only
    # where the evidence is clearly about that point, this much nearer to it than to any
    # other point ("because they meet informally" is as near to "informal space" as to
    # "prepares the ground for formal negotiations", and denies neither). As for
    # misconceptions below; rubrics of one point never meet it.
    turn_denial_margin: float = 0.05
    # A misconception is held against an answer only well above the covered bar.
    misconception_at: float = 0.75
    misconception_margin: float = 0.05
    # Below this overall confidence a result asks for a human look.
    review_below: float = 0.7
    # Flags
    too_short_words: int = 4
    off_topic_similarity: float = 0.2
    # ... unless the evidence's sentence as worded, question words kept, comes this near the
    # item as worded (None: never): it then restates the question's terms to claim something.
    off_topic_worded_similarity: float | None = 0.4
    copy_overlap: float = 0.75
    gibberish_share: float = 0.5
    unknown_share: float = 0.9
    # An answer of at least this many words that py3langid is this sure is in a language the
    # encoder was not trained on, and fewer of whose words than `language_english_share` are
    # English, is flagged `language_unsupported` for a person to grade; the English-only
    # readings (gibberish, a list of terms, off the topic, padding) are not made of it. On SAF
    # train, 34 of 2,127 answers are German (tutor's mean 0.86 of the marks), and none of
    # SemEval's 8,910 train answers is called another language, at any bar from 0.5 to 0.9
    # (`scripts/language_flags.py --confidence ...`). py3langid alone can be sure of a short
    # English sentence ("We hear it harder." is Frisian to it at 0.8): the German answers
    # have at most 0.63 of their words in the English word list, the English ones of SAF and
    # SemEval train at least 0.70 (1st percentile).
    supported_languages: tuple[str, ...] = ("en",)
    language_confidence: float = 0.9
    language_min_words: int = 4
    language_english_share: float = 0.7
    # The most a result may claim of such an answer: calls on words the encoder was not
    # trained on have no known reliability, so they are no surer than a coin.
    unread_confidence: float = 0.5
    # A bare list of terms: at least this many words, almost no function words.
    keyword_list_words: int = 5
    keyword_list_function_share: float = 0.1
    # Padding: this share of the answer's words sits in sentences near no rubric point.
    padded_share: float = 0.5
    padded_sentence_similarity: float = 0.25
    # Below this share of the point's word pairs kept in order, the evidence is word salad.
    scrambled_below: float = 0.2
    # The pair judge (where one is loaded): how much of P(covered) it decides, how many of an
    # item's phrasings it reads (closest to the evidence first), up to how many words an answer
    # is read whole instead of by the evidence's sentence, and how sure it must be of a denial.
    # Chosen on train questions held out of the judge's training (scripts/judge_holdout.py,
    # docs/accuracy.md): with the d1 recipe, 0.25 lifted 3-way / 2-way macro-F1 from
    # 0.562 / 0.720 (denials only, weight 0) to 0.609 / 0.768 on Beetle and 0.515 / 0.624 to
    # 0.527 / 0.649 on SciEntsBank; 0.5 read within 0.004 of it and weighs a judge trained on
    # science answers more on other subjects: on SAF's networking answers of several points
    # it took unseen questions' Pearson r to 0.273 (0.401 at 0.25, 0.469 without the judge;
    # `ASSESS_JUDGE_WEIGHT=0.5 make eval`, docs/accuracy.md).
    judge_weight: float = 0.25
    # ... and only in rubrics of up to this many points (None: any); in a larger rubric only
    # its denials are heard. It learned from answers to one-point questions, and from SAF
    # answers with full or no marks, so it reads whether a whole answer is right more than
    # whether it states one point of several. On SAF train questions held out of its
    # training (scripts/saf_judge_holdout.py), the judge's share cut several-point rubrics'
    # Pearson r from 0.411 to 0.325 (0.346 reading the evidence's sentence instead of the
    # whole answer); heard in one-point rubrics only, all held-out answers went from r 0.283,
    # RMSE 0.496, QWK 0.178 without the judge to 0.290 / 0.380 / 0.238 (0.260 / 0.364 / 0.213
    # heard everywhere). SemEval's rubrics are all of one point.
    judge_max_points: int | None = 1
    # Instead of that share: P(covered) = sigmoid(a logit(P_point) + b logit(P_judge) + c) for
    # (a, b, c) fitted on questions held out of the judge's training (`with_judge`).
    judge_blend: tuple[float, float, float] | None = None
    judge_phrasings: int = 1
    # Where a teacher has graded answers (`assess calibrate`), the judge also reads a new answer
    # against the `peer_neighbours` answers graded covering the point that are closest to it,
    # as it learned to read a classmate's correct answer as the reference, and its mean
    # P(correct) over them decides `peer_weight` of the example model's P(covered); in rubrics
    # of up to `judge_max_points` points only, like its own share.
    peer_weight: float = 0.0
    peer_neighbours: int = 3
    judge_whole_answer_words: int = 60
    judge_contradicted_at: float = 0.5
    # Where the judge read an item and gives a denial less than this (None: never), the point
    # model's guess that a turn word makes the evidence deny the item is overruled (a teacher's
    # marked contradictions never are): "tested without political cost because nothing is
    # official" states a point, its "without" and "nothing" deny nothing. Chosen on questions
    # held out of the judge's training (`scripts/judge_holdout.py --clears`,
    # `scripts/saf_judge_holdout.py --clears`): at 0.02, 3-way macro-F1 0.601 -> 0.605 on
    # Beetle, 0.534 -> 0.534 on SciEntsBank, SAF several-point rubrics' Pearson r 0.414 ->
    # 0.418 and QWK 0.254 -> 0.264; at 0.05 Beetle gained more and SciEntsBank lost 0.003.
    judge_clears_below: float | None = 0.02
    # ... and, switched on, where the judge reads a denial as less likely than either other
    # reading. Measured on the same held-out questions (`--clears 0.02 --unranked`): 3-way
    # macro-F1 0.605 -> 0.596 on Beetle and 0.534 -> 0.514 on SciEntsBank (contradictory F1
    # 0.534 -> 0.487 and 0.370 -> 0.309), SAF several-point rubrics unchanged; so it is off
    # in rubrics of one point, where the point model learned SemEval's denials ...
    judge_clears_unranked: bool = False
    # ... and on in rubrics where the judge's P(correct) is not heard (more points than
    # `judge_max_points`): there a sentence about a neighbouring point often carries a word
    # that is the opposite of one in this point's phrasing, the point model, fitted on rubrics
    # of one point, takes it for a denial, and the judge's read is the only other witness.
    # SemEval (rubrics of one point) cannot move; SAF's several-point rubrics did not
    # (above); on Track II a paraphrase of a point ("Without a link to formal diplomacy, its
    # results are hard to turn into durable settlements") stops being called its denial.
    judge_clears_unranked_uncredited: bool = True
    # The judge reads only pairs whose words mostly agree (`rubrics.copies.nearness` of the
    # text and the phrasing at least this): there a bi-encoder cannot tell a twist from a
    # restatement, and there the judge, fitted on SemEval's near-copies with a twist, knows
    # what it is doing; on paraphrases in other words it reads words more than meaning.
    judge_near: float = 0.0
    # Up to this many words an answer is read whole as the context of each point's evidence
    # (the point model's context features); a longer one is read sentence by sentence.
    context_whole_words: int = 60
    # ... and only in a rubric of at most this many points (None: any), which holds for what
    # the pair judge reads too (`reads_whole_in`). In a rubric of several points a short
    # answer's other sentences are about the other points: read whole, they lend each point
    # their words, and the judge, fitted on answers to one point, read the other points'
    # sentences beside this one's as a denial or as wrong (in
    # `test_the_judge_reads_each_point_in_its_own_sentence_in_a_rubric_of_several_points`,
    # three statements read whole: P(correct) 0.54, 0.38, 0.71; each in its own sentence,
    # above 0.8). Reading the evidence's sentence lifted several points on train from 0.493
    # / 0.677 to 0.532 / 0.703 (Beetle) and 0.525 / 0.635 to 0.591 / 0.652 (SciEntsBank), SAF
    # train unmoved (`python -m assess.several_points --split train`; docs/accuracy.md).
    context_whole_max_points: int | None = 1
    # Segmentation
    # Windows catch a point stated inside a long sentence; 12 words, half-overlapping, keep
    # that while encoding about a third of the text that 8-word windows did.
    window_words: int = 12
    window_stride: int = 6
    max_encoded_words: int = 3000
    # Two-pass encoding: clauses and windows of a sentence are encoded only when the sentence's
    # best cosine to some rubric text reaches this (None: always). See Analyser.analyse_many.
    finer_segments_from: float | None = 0.3
    # How close a sentence must be to a finer segment to be shown as the evidence instead.
    evidence_prefer_sentence: float = 0.03

    def judge_credits_in(self, n_points: int) -> bool:
        """Whether the judge's P(correct) is heard in a rubric of this many points
        (`judge_max_points`)."""
        return self.judge_max_points is None or n_points <= self.judge_max_points

    def reads_whole_in(self, n_points: int) -> bool:
        """Whether a short answer to a rubric of this many points may be read whole, as the
        context of each point's evidence and as what the pair judge reads
        (`context_whole_max_points`)."""
        most = self.context_whole_max_points
        return most is None or n_points <= most
