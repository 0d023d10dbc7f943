"""How a calibrated rubric's graded answers recalibrate a new answer's points.

A `RubricCalibration` holds its Platt scaling and, where the teacher graded answers, those
answers (`ExampleBank`). With a point model and an example model, the example model reads
the answer beside the graded answers of each point with enough of them (and, where switched
on, the pair judge reads it against the closest answers graded covering the point); other
points get the calibration's own Platt scaling with the answer's nearness to them.
"""

from __future__ import annotations

from assess.analyse import Analysis
from assess.config import GraderConfig
from assess.coverage import Recalibrate
from assess.examples import ExampleCalls, example_calls
from assess.judge_reads import peer_reads
from assess.neighbours import ExampleBank, nearness_of
from assess.point_status import point_probabilities
from assess.recalibration import RubricCalibration
from models.example_model import ExampleModel
from models.judge import PairJudge
from models.point_model import PointModel


def graded_recalibration(
    calibration: RubricCalibration,
    bank: ExampleBank,
    analysis: Analysis,
    own: str | None,
    config: GraderConfig,
    point_model: PointModel | None = None,
    example_model: ExampleModel | None = None,
    judge: PairJudge | None = None,
) -> tuple[Recalibrate, Recalibrate, ExampleCalls | None]:
    """The calibration as functions of P(covered) and of P(denied | not covered), and what
    the example model makes of the graded answers where it reads them (else None).

    `own`: the answer's text where it is itself graded and must be judged by the others only.
    """
    rubric = analysis.index.rubric
    near = nearness_of(bank, rubric, analysis.alignments, own)
    deny = nearness_of(bank, rubric, analysis.alignments, own, denial=True)
    platt: Recalibrate = lambda p: calibration.apply(p, near)  # noqa: E731
    platt_deny: Recalibrate = lambda d: calibration.apply_denial(d, deny)  # noqa: E731
    if example_model is None or point_model is None:
        return platt, platt_deny, None
    # The example model learned from the point model's probabilities alone (the judge's
    # reads of train answers are not held out of its training), so it reads those: with the
    # judge's share of P(covered) mixed into its first input, it met a scale it never saw.
    # The judge is still heard after grades in its denials (`judge_points`).
    base = point_probabilities(analysis.alignments, point_model, config, hear_judge=False)
    calls = example_calls(
        example_model, base, bank, analysis.alignments, own, [p.id for p in rubric.points]
    )
    # The pair judge reads the answer against the closest answers graded covering each item,
    # where it is heard (`config.peer_weight`, off by default).
    if (
        judge is not None
        and config.peer_weight > 0
        and config.judge_credits_in(analysis.index.n_points)
    ):
        calls = calls.with_peers(peer_reads(judge, config, bank, analysis, own), config.peer_weight)
    return calls.recalibrate(platt), calls.redeny(platt_deny), calls
