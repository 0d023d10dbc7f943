"""Fit the shipped score model on SAF train and print its cross-validated figures.

    .venv/bin/python scripts/score_training.py --data ../shared/data/saf-english

Grades every answer of SAF `train` with the served engine (uncalibrated), reads each against
the tutor's scores of its question's other answers (`assess.score_training`), and writes
`models/artefacts/scores-v3.json` with a model card holding the question-grouped
cross-validation. Test splits are never read. About two minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assess.datasets import read_split
from assess.score_training import fit_score_model, score_rows
from models.artefact import artefacts_path
from models.score_model import DEFAULT_SCORE_MODEL, save_score_model
from service.settings import get_settings
from service.wiring import build_grader

COMMAND = "python scripts/score_training.py --data ../shared/data/saf-english"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/saf-english"))
    parser.add_argument("--out", type=Path, default=artefacts_path() / DEFAULT_SCORE_MODEL)
    parser.add_argument("--version", default="scores-v3")
    args = parser.parse_args()
    # The engine's own shares: no calibration, and no score model (it is what is fitted).
    grader = build_grader(get_settings().model_copy(update={"score_model": "none"}))
    rows = score_rows(
        grader,
        read_split(args.data / "train.jsonl"),
        lambda group: print(f"read question {group}", file=sys.stderr),
    )
    encoder = {"name": grader.encoder.info.name, "sha256": grader.encoder.info.sha256}
    model = fit_score_model(rows, args.version, COMMAND, "SAF (English) train", encoder)
    save_score_model(model, args.out)
    print(json.dumps({"coef": model.coef.tolist(), "intercept": model.intercept,
                      **model.card["cross_validated"]}, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
