"""How many bits a weight the judge's committed difference needs: held-out macro-F1 by width.

Reads a full-precision judge saved by `python -m assess.judge_training ... --holdout 0.2
--keep-torch DIR`, codes its difference from the packaged MiniLM at each bit width
(`models.judge_delta`), and reports, on the questions held out of its training, the judge's
own macro-F1 (best reference per answer, as its card does), how often it picks the same label
as the full-precision judge, and the size of the difference file.

    .venv/bin/python scripts/judge_delta_bits.py --data ../shared/data/semeval2013-3way \
        --tuned /tmp/judge-d1-torch --bits 4 3 2 1
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from assess.judge_data import read_examples, split_groups
from assess.judge_training import figures_of, held_pairs, predict
from models import judge_delta
from models.judge_build import apply_delta, base_classifier, packaged_arrays, state_arrays


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--tuned", type=Path, required=True, help="the --keep-torch folder")
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--bits", type=int, nargs="+", default=[1, 2, 3, 4])
    args = parser.parse_args()
    from transformers import AutoModelForSequenceClassification

    _, held = split_groups(read_examples(args.data), args.holdout)
    pairs, owners = held_pairs(held)
    tuned_model = AutoModelForSequenceClassification.from_pretrained(str(args.tuned)).eval()
    _, tokenizer = base_classifier()
    probabilities = predict(tuned_model, tokenizer, pairs)
    full = probabilities.argmax(axis=1)
    rows = [{"bits": "full", "figures": figures_of(probabilities, owners, held)}]
    print(json.dumps(rows[-1]), flush=True)
    tuned = state_arrays(tuned_model)
    for bits in args.bits:
        base_model, _ = base_classifier()
        with tempfile.TemporaryDirectory() as folder:
            path = judge_delta.save(
                Path(folder) / "delta.safetensors",
                judge_delta.encode(packaged_arrays(base_model), tuned, bits),
                bits,
            )
            size = path.stat().st_size
            model = apply_delta(base_model, path)
        probabilities = predict(model, tokenizer, pairs)
        same = float(np.mean(probabilities.argmax(axis=1) == full))
        rows.append({
            "bits": bits, "mb": round(size / 1e6, 2), "same_label": round(same, 4),
            "figures": figures_of(probabilities, owners, held),
        })  # fmt: skip
        print(json.dumps(rows[-1]), flush=True)
    print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
