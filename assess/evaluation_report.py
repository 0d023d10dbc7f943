"""The evaluation report: Markdown tables and confusion-matrix PNGs under `docs/evaluation/`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from assess.datasets import SEMEVAL_LABELS
from assess.evaluation import SplitEvaluation
from assess.evaluation_saf import SafEvaluation

SYSTEMS = {
    "engine": "assess engine",
    "engine_graded": "assess engine, calibrated on the graded split (its question or its point)",
    "word_overlap": "word overlap",
    "cosine": "whole-answer cosine",
}
# Best SemEval-2013 system per split, macro-F1 (Dzikovska et al. 2013): (3-way, 2-way).
TARGETS = {
    ("beetle", "test_unseen_answers"): (0.715, 0.833),
    ("beetle", "test_unseen_questions"): (0.585, 0.720),
    ("sciEntsBank", "test_unseen_answers"): (0.643, 0.768),
    ("sciEntsBank", "test_unseen_questions"): (0.469, 0.737),
}


def plot_confusion(evaluation: SplitEvaluation, path: Path) -> Path:
    """One PNG: the engine's and the baselines' confusion matrices side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    systems = list(evaluation.confusion)
    figure, axes = plt.subplots(1, len(systems), figsize=(4.2 * len(systems), 4))
    for axis, system in zip(axes, systems, strict=True):
        import numpy as np

        display = ConfusionMatrixDisplay(
            np.asarray(evaluation.confusion[system]), display_labels=list(SEMEVAL_LABELS)
        )
        display.plot(ax=axis, colorbar=False, xticks_rotation=30)
        axis.set_title(SYSTEMS.get(system, system))
    figure.suptitle(f"{evaluation.corpus} {evaluation.split} (n={evaluation.n}); rows: human")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def plot_reliability(evaluation: SplitEvaluation, path: Path) -> Path:
    """One PNG: how often the 2-way call is right against the confidence claimed, per bin,
    for the engine and (where there is one) the engine after the teacher's grades."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(4.6, 4.2))
    axis.plot([0.5, 1.0], [0.5, 1.0], linestyle=":", color="grey", label="calibrated")
    for key, system, marker in (
        ("reliability", "engine", "o"),
        ("reliability_graded", "engine_graded", "s"),
    ):
        bins = evaluation.extra.get(key)
        if not bins:
            continue
        axis.plot(
            [b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker=marker,
            label=SYSTEMS[system],
        )  # fmt: skip
        for b in bins:
            axis.annotate(str(b["n"]), (b["confidence"], b["accuracy"]), fontsize=7,
                          textcoords="offset points", xytext=(3, -9))  # fmt: skip
    axis.set_xlim(0.45, 1.02)
    axis.set_ylim(0.0, 1.02)
    axis.set_xlabel("confidence claimed (bin mean)")
    axis.set_ylabel("share of 2-way calls right (labels: answers)")
    axis.set_title(f"{evaluation.corpus} {evaluation.split}: reliability", fontsize=10)
    axis.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def semeval_table(evaluations: Sequence[SplitEvaluation]) -> list[str]:
    """One row per corpus, split and system."""
    lines = [
        "| corpus | split | system | n | 3-way acc | 3-way macro-F1 | 3-way weighted-F1 | "
        "contradictory F1 | 2-way acc | 2-way macro-F1 | 2-way weighted-F1 | best 2013 macro-F1 "
        "(3-way / 2-way) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in evaluations:
        target = TARGETS.get((e.corpus, e.split))
        mark = f"{target[0]:.3f} / {target[1]:.3f}" if target else "-"
        for system, f in e.figures.items():
            lines.append(
                f"| {e.corpus} | {e.split} | {SYSTEMS.get(system, system)} | {e.n} | "
                f"{f['accuracy']:.3f} | {f['macro_f1']:.3f} | {f['weighted_f1']:.3f} | "
                f"{f['f1_contradictory']:.3f} | {f['accuracy_2way']:.3f} | "
                f"{f['macro_f1_2way']:.3f} | {f['weighted_f1_2way']:.3f} | "
                f"{mark if system == 'engine' else ''} |"
            )
    return lines


def graded_lines(evaluations: Sequence[SplitEvaluation]) -> list[str]:
    """Which questions the calibrated rows drew grades for: their own graded answers, or
    those of graded questions that share their point (`assess.shared_points`)."""
    rows = [
        f"- {e.corpus} {e.split}: {e.extra['graded_questions']} questions by their own graded "
        f"answers, {e.extra['questions_sharing_a_graded_point']} by the graded answers of "
        "questions sharing their point"
        for e in evaluations
        if "graded_questions" in e.extra
    ]
    if not rows:
        return []
    heading = (
        f"The calibrated rows read the graded split ({evaluations[0].extra['graded_split']}) "
        "as a teacher's grades:"
    )
    return [heading, "", *rows, ""]


def auto_graded_table(evaluations: Sequence[SplitEvaluation]) -> list[str]:
    """One row per split: share auto-graded and accuracy at each threshold."""
    thresholds = [row["threshold"] for row in evaluations[0].extra["auto_graded"]]
    lines = [
        "| corpus | split | " + " | ".join(f"confidence >= {t:g}" for t in thresholds) + " |",
        "|---|---|" + "---|" * len(thresholds),
    ]
    for e in evaluations:
        cells = [f"{r['share']:.0%} at {r['accuracy']:.3f}" for r in e.extra["auto_graded"]]
        lines.append(f"| {e.corpus} | {e.split} | " + " | ".join(cells) + " |")
    return lines


def saf_table(evaluations: Sequence[SafEvaluation]) -> list[str]:
    """One row per SAF split."""
    lines = [
        "| split | n | Pearson r | RMSE | QWK (3-way) | missing points named by the tutor | "
        "covered points named (base rate) |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in evaluations:
        f, x = e.figures, e.extra
        lines.append(
            f"| {e.split} | {e.n} | {f['pearson_r']:.3f} | {f['rmse']:.3f} | {f['qwk']:.3f} | "
            f"{x['missing_named_share']:.3f} of {x['missing_points']} | "
            f"{x['covered_named_share']:.3f} of {x['covered_points']} |"
        )
        if "graded" in x:
            g = x["graded"]
            lines.append(
                f"| {e.split}, calibrated on the tutor's scores of the graded split | {e.n} | "
                f"{g['pearson_r']:.3f} | {g['rmse']:.3f} | {g['qwk']:.3f} | | |"
            )
    return lines


def write_report(
    evaluations: Sequence[SplitEvaluation | SafEvaluation],
    folder: Path,
    command: str,
    engine: str = "",
) -> Path:
    """Write `folder/README.md` and one confusion-matrix PNG per SemEval split."""
    semeval = [e for e in evaluations if isinstance(e, SplitEvaluation)]
    saf = [e for e in evaluations if isinstance(e, SafEvaluation)]
    lines = [
        "# Agreement with human graders",
        "",
        f"Produced by `{command}`; every figure below comes from that run.",
        "Nothing was tuned on a test split: the scorer (point model or calibrator) and the",
        "baselines' thresholds are",
        "fitted on `train` beforehand and shipped in `models/artefacts/`, and so is the pair",
        "judge, unless `ASSESS_JUDGE=none` (fine-tuned on `train` by `make judge`).",
        "",
        *([f"Engine: {engine}.", ""] if engine else []),
    ]
    if semeval:
        lines += [
            "## SemEval-2013 Task 7 (3-way and 2-way)",
            "",
            "Each question is a one-point rubric of its reference answers; the point's status "
            "gives the label (`covered` -> correct, `contradicted` -> contradictory, else "
            "incorrect). The baselines call an answer correct above a threshold fitted on train "
            "and never predict contradictory.",
            "",
            *semeval_table(semeval),
            "",
            *graded_lines(semeval),
            "Confidence reliability (expected calibration error of `confidence` against the "
            "2-way call being right, 10 bins):",
            "",
            *[
                f"- {e.corpus} {e.split}: ECE {e.extra['confidence_ece_2way']:.3f}"
                + (
                    f" (after the teacher's grades: {e.extra['confidence_ece_2way_graded']:.3f})"
                    if "confidence_ece_2way_graded" in e.extra
                    else ""
                )
                for e in semeval
            ],
            "",
            "Auto-grading at a review threshold: the share of answers whose `confidence` "
            "reaches it (the rest would be `needs_review`) and the 3-way accuracy on them:",
            "",
            *auto_graded_table(semeval),
            "",
        ]
        reliable = "Reliability of `confidence` (the 2-way call; dotted: perfectly calibrated):"
        pictures: tuple[tuple[str, Callable[[SplitEvaluation, Path], Path], list[str]], ...] = (
            ("confusion", plot_confusion, []),
            ("reliability", plot_reliability, ["", reliable, ""]),
        )
        for kind, plot, heading in pictures:
            lines += heading
            for e in semeval:
                name = f"{kind}-{e.corpus}-{e.split}.png"
                plot(e, folder / name)
                lines.append(f"![{e.corpus} {e.split} {kind}]({name})")
        lines.append("")
    if saf:
        lines += [
            "## SAF (English), several-sentence answers with tutor feedback",
            "",
            "Each sentence of the reference answer is a rubric point. The engine's score / "
            "max_score is compared with the tutor's normalised score; its 3-way label is the "
            "score in thirds (fixed, not tuned). A point is *named* by the tutor when the "
            "feedback shares two of its content words (question words left out); answers the "
            "tutor marked Correct are left out of that count. The calibrated row (where the "
            "graded split holds the same questions) is the engine after each question's rubric "
            "is calibrated on its graded answers, the tutor's whole-answer scores as a "
            "teacher's grades: the score model reads them (`assess/graded_scores.py`) unless "
            "`ASSESS_SCORE_MODEL=none`.",
            "",
            *saf_table(saf),
            "",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
