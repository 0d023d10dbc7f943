"""Fine-tune the packaged MiniLM as the pair judge, on CPU, from SemEval-2013 `train`.

`make judge` runs `python -m assess.judge_training --data ../shared/data/semeval2013-3way
--saf ../shared/data/saf-english --peers 1 --denials --length-batches --delta
models/artefacts/judge-v1.safetensors --force`: every train answer
paired with a reference answer of its question (and with a classmate's correct answer),
labelled correct, contradictory or incorrect by the human graders, each correct answer also
denied, and SAF's full- and no-mark answers. The transformer layers and a classifier are
trained (the word embeddings stay as packaged; `--frozen-layers N` keeps the lower N layers
too), with fixed seeds, fixed threads and a fixed order, so two runs on the same machine give
the same weights. The result is written as its difference from the packaged weights, 4 bits
a weight (`models.judge_delta`), with its card beside it, and assembled from that difference
into the ONNX judge the engine reads (`models.judge_build`, as `make setup` does).

`--holdout 0.2` trains on four fifths of the questions (SemEval's, and SAF's drawn apart)
and reports macro-F1 on the rest of SemEval's; `scripts/judge_holdout.py` then measures the
engine with that judge on the held-out SemEval questions, `scripts/saf_judge_holdout.py` on
the held-out SAF questions. No test split is read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assess.judge_data import (
    CORPORA,
    SEED,
    Example,
    denial_examples,
    peer_examples,
    read_examples,
    read_saf_examples,
    split_groups,
    training_pair,
)
from models import judge_delta
from models.artefact import write_artefact
from models.encoder import default_model_path
from models.judge import LABELS, default_judge_dir
from models.judge_build import (
    CARD_SCHEMA,
    DELTA_FILE,
    apply_delta,
    assemble,
    base_classifier,
    card_path,
    packaged_arrays,
    state_arrays,
)

TRAIN_THREADS = 2


@dataclass(frozen=True)
class Recipe:
    """How the judge is trained; recorded in its card."""

    epochs: int = 3
    # All six layers: on held-out questions it beat the top-two-layers recipe on both corpora
    # (docs/accuracy.md); about 20 minutes an epoch on two quiet cores with SAF's pairs,
    # 6 with `length_batches`.
    frozen_layers: int = 0
    learning_rate: float = 5e-5
    batch_size: int = 32
    max_tokens: int = 160
    holdout: float = 0.0
    # Extra pairs per SemEval answer, each with a correct answer of a classmate to the same
    # question as the reference (`peer_examples`): the point in the students' own words.
    peers: int = 0
    # One more pair per correct SemEval answer (and peer pair): the answer denied in a form
    # the robustness suite does not use, labelled contradictory (`denial_examples`).
    denials: bool = False
    # Batches of near-equal length (`length_batches`) instead of drawn at random: about a
    # third of the time (docs/accuracy.md); `make judge` asks for them.
    length_batches: bool = False
    limit: int | None = None  # train on every n-th answer, this many in all (quick checks)


def _seed_everything(torch: Any) -> None:
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(TRAIN_THREADS)


# Batches are cut from runs of this many batches' worth of shuffled pairs, sorted by length.
BUCKET_BATCHES = 50


def progress(epoch: int, done: int, per_epoch: int, epochs: int, elapsed: float) -> str:
    """Where training is, and how long the rest will take at the pace so far."""
    steps = epoch * per_epoch + done
    left = elapsed / steps * (epochs * per_epoch - steps)
    return (
        f"epoch {epoch + 1}/{epochs}: {done}/{per_epoch} batches, {elapsed:.0f} s, "
        f"about {left / 60:.0f} min left"
    )


def length_batches(lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """One epoch's batches of pair indices: shuffled, then, within runs of `BUCKET_BATCHES`
    batches, sorted by length before being cut, and the batches shuffled again. A batch is
    padded to its longest pair, so one long SAF answer among 31 short SemEval ones makes the
    whole batch long: grouping near lengths cut an epoch to about a third of the time
    (docs/accuracy.md) while every batch still mixes questions and labels."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    run = size * BUCKET_BATCHES
    batches = []
    for start in range(0, len(order), run):
        chunk = sorted(order[start : start + run], key=lambda n: lengths[n])
        batches += [chunk[b : b + size] for b in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def train(examples: Sequence[Example], recipe: Recipe, log: Any = print) -> tuple[Any, Any]:
    """Fine-tune and return (model, tokenizer)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    import transformers
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    _seed_everything(torch)
    folder = str(default_model_path())
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=len(LABELS))
    model.bert.embeddings.requires_grad_(False)
    for layer in model.bert.encoder.layer[: recipe.frozen_layers]:
        layer.requires_grad_(False)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=recipe.learning_rate, weight_decay=0.01)
    per_epoch = -(-len(examples) // recipe.batch_size)
    steps = recipe.epochs * per_epoch
    # Linear warm-up over the first tenth, then linear decay to zero.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    pairs = [training_pair(e) for e in examples]
    targets = torch.tensor([LABELS.index(e.label) for e in examples])
    # Only length batches need the lengths; random ones keep the old recipe's draws exactly.
    lengths = (
        [len(ids) for ids in tokenizer(
            [a for a, _ in pairs], [b for _, b in pairs],
            truncation=True, max_length=recipe.max_tokens,
        )["input_ids"]]
        if recipe.length_batches else None
    )  # fmt: skip
    order_rng = random.Random(SEED)
    started = time.monotonic()
    for epoch in range(recipe.epochs):
        model.train()
        if lengths is not None:
            batches = length_batches(lengths, recipe.batch_size, order_rng)
        else:
            order = list(range(len(pairs)))
            order_rng.shuffle(order)
            batches = [
                order[b : b + recipe.batch_size] for b in range(0, len(order), recipe.batch_size)
            ]
        every = max(1, len(batches) // 10)  # progress ten times an epoch: it runs minutes
        for done, chosen in enumerate(batches, start=1):
            batch = tokenizer(
                [pairs[n][0] for n in chosen], [pairs[n][1] for n in chosen],
                truncation=True, max_length=recipe.max_tokens, padding=True, return_tensors="pt",
            )  # fmt: skip
            loss = model(**batch, labels=targets[chosen]).loss
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if done % every == 0 and done < len(batches):
                log(progress(epoch, done, len(batches), recipe.epochs, time.monotonic() - started))
        log(f"epoch {epoch + 1}/{recipe.epochs} done in {time.monotonic() - started:.0f} s")
    model.eval()
    return model, tokenizer


def predict(model: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Class probabilities of pairs with the torch model (evaluation during training)."""
    import torch

    out = []
    with torch.inference_mode():
        for start in range(0, len(pairs), 128):
            chunk = pairs[start : start + 128]
            batch = tokenizer(
                [a for a, _ in chunk], [b for _, b in chunk],
                truncation=True, max_length=256, padding=True, return_tensors="pt",
            )  # fmt: skip
            out.append(torch.softmax(model(**batch).logits, dim=-1).numpy())
    return np.concatenate(out) if out else np.empty((0, len(LABELS)))


def best_reference(probabilities: np.ndarray) -> np.ndarray:
    """Of one answer's rows (one per reference), the row of the reference that credits it most."""
    return probabilities[int(np.argmax(probabilities[:, 0]))]


def held_pairs(held: Sequence[Example]) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Every (reference, answer) pair of the held-out answers, and the answer each belongs to."""
    pairs, owner = [], []
    for n, example in enumerate(held):
        for reference in example.references:
            pairs.append((reference, example.answer))
            owner.append(n)
    return pairs, np.asarray(owner)


def holdout_figures(model: Any, tokenizer: Any, held: Sequence[Example]) -> dict[str, Any]:
    """3-way and 2-way macro-F1 per corpus on held-out questions, best reference per answer."""
    pairs, owners = held_pairs(held)
    return figures_of(predict(model, tokenizer, pairs), owners, held)


def figures_of(
    probabilities: np.ndarray, owners: np.ndarray, held: Sequence[Example]
) -> dict[str, Any]:
    """`holdout_figures` from the probabilities of `held_pairs`, already predicted."""
    from sklearn.metrics import f1_score

    predicted = [
        LABELS[int(np.argmax(best_reference(probabilities[owners == n])))] for n in range(len(held))
    ]
    figures: dict[str, Any] = {}
    for corpus in CORPORA:
        rows = [n for n, e in enumerate(held) if e.group.startswith(f"{corpus}/")]
        gold, pred = [held[n].label for n in rows], [predicted[n] for n in rows]
        figures[corpus] = {
            "n": len(rows),
            "macro_f1": round(float(f1_score(gold, pred, labels=list(LABELS), average="macro")), 4),
            "macro_f1_2way": round(
                float(
                    f1_score(
                        [g == "correct" for g in gold], [p == "correct" for p in pred],
                        average="macro",
                    )
                ), 4,
            ),
        }  # fmt: skip
    return figures


def build(
    data: Path,
    out: Path,
    recipe: Recipe,
    log: Any = print,
    saf: Path | None = None,
    delta: Path | None = None,
    bits: int = judge_delta.DEFAULT_BITS,
    keep_torch: Path | None = None,
) -> dict[str, Any]:
    """Train (on all of train, or on the non-held-out questions); write the difference from
    the packaged weights (`delta`, default inside `out`) and its card; assemble the judge in
    `out` from that difference, as `make setup` does from the committed one."""
    # The held-out SemEval questions are those `scripts/judge_holdout.py` draws; SAF's are
    # drawn apart from them by the same seed (`scripts/saf_judge_holdout.py` grades them) and
    # only leave the training side, as SAF's figures are not the judge's own.
    fitted, held = split_groups(read_examples(data), recipe.holdout)
    fitted += peer_examples(fitted, recipe.peers) if recipe.peers else []
    fitted += denial_examples(fitted) if recipe.denials else []
    fitted += split_groups(read_saf_examples(saf), recipe.holdout)[0] if saf else []
    if recipe.limit:
        fitted = fitted[:: max(1, len(fitted) // recipe.limit)][: recipe.limit]
    log(f"training the pair judge on {len(fitted)} answers ({recipe})")
    model, tokenizer = train(fitted, recipe, log)
    if keep_torch:
        model.save_pretrained(str(keep_torch))  # full precision, for scripts/judge_delta_bits.py
    delta = delta or out / DELTA_FILE
    base, _ = base_classifier()
    stored = judge_delta.encode(packaged_arrays(base), state_arrays(model), bits)
    judge_delta.save(delta, stored, bits)
    import sklearn
    import torch
    import transformers

    card: dict[str, Any] = {
        "schema": CARD_SCHEMA,
        "name": "assess-judge-minilm-l6",
        "labels": list(LABELS),
        "base_model": default_model_path().parent.name,
        "training_data": f"SemEval-2013 task 7 train ({', '.join(CORPORA)})"
        + (f", {recipe.peers} classmate's correct answer(s) per answer as the reference too"
           if recipe.peers else "")
        + (", each correct answer also denied and labelled contradictory" if recipe.denials else "")
        + (" and SAF train (full or no marks, one reference sentence each)" if saf else "")
        + f", {len(fitted)} answers",
        "recipe": recipe.__dict__,
        "bits": bits,
        # The difference as shipped (`bits` a weight), and the full-precision judge beside it.
        "holdout_questions": (
            holdout_figures(apply_delta(base, delta), tokenizer, held) if held else None
        ),
        "holdout_questions_full_precision": (
            holdout_figures(model, tokenizer, held) if held else None
        ),
        "libraries": {"torch": torch.__version__, "transformers": transformers.__version__,
                      "scikit-learn": sklearn.__version__},
    }  # fmt: skip
    write_artefact(card, card_path(delta))
    assemble(delta, out, force=True)
    return card


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="semeval2013-3way folder")
    parser.add_argument("--out", type=Path, default=None, help="judge folder")
    parser.add_argument("--holdout", type=float, default=0.0, help="share of questions held out")
    parser.add_argument("--epochs", type=int, default=Recipe.epochs)
    parser.add_argument(
        "--frozen-layers",
        type=int,
        default=Recipe.frozen_layers,
        help="lower transformer layers kept as packaged (0: train all six)",
    )
    parser.add_argument(
        "--peers", type=int, default=Recipe.peers,
        help="extra pairs per answer, a classmate's correct answer as the reference",
    )  # fmt: skip
    parser.add_argument(
        "--denials", action="store_true",
        help="each correct answer also denied (n't, 'It is false that'), labelled contradictory",
    )  # fmt: skip
    parser.add_argument(
        "--length-batches", action="store_true",
        help="batches of near-equal length: about a third of the time",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true", help="retrain over an existing one")
    parser.add_argument(
        "--saf", type=Path, default=None, help="saf-english folder: its train pairs join in"
    )
    parser.add_argument(
        "--delta", type=Path, default=None,
        help="where the difference and its card go (default: inside --out); `make judge` "
        "writes the committed models/artefacts/judge-v1.safetensors",
    )  # fmt: skip
    parser.add_argument("--bits", type=int, default=judge_delta.DEFAULT_BITS)
    parser.add_argument(
        "--keep-torch", type=Path, default=None,
        help="also save the full-precision model here (scripts/judge_delta_bits.py)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    out = args.out or default_judge_dir()
    delta = args.delta or out / DELTA_FILE
    if delta.is_file() and card_path(delta).is_file() and not args.force:
        print(f"pair judge already trained in {delta} (--force retrains); assembling it")
        print(f"pair judge in {assemble(delta, out)}")
        return 0
    if not (args.data / CORPORA[0] / "train.jsonl").is_file():
        print(
            f"no SemEval train data under {args.data}: the pair judge is not trained",
            file=sys.stderr,
        )
        return 1
    card = build(
        args.data,
        out,
        Recipe(
            epochs=args.epochs,
            frozen_layers=args.frozen_layers,
            holdout=args.holdout,
            peers=args.peers,
            denials=args.denials,
            length_batches=args.length_batches,
        ),
        saf=args.saf,
        delta=delta,
        bits=args.bits,
        keep_torch=args.keep_torch,
    )
    print(json.dumps({"out": str(out), "holdout_questions": card["holdout_questions"]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
