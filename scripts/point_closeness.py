"""How close a rubric's points come to one another: what `assess.several_points.DISTINCT_BELOW`
was set from.

For each point of each rubric of several points, the cosine (packaged MiniLM) of its text to
the nearest other point's: SAF train's rubrics (each sentence of a reference a point, as
`assess.datasets.saf_rubric` splits it) as percentiles, and the Track II library rubrics each.

Run: `.venv/bin/python scripts/point_closeness.py --saf ../shared/data/saf-english`
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assess.datasets import read_split, split_path
from models import Encoder, load_encoder
from rubrics import Rubric, library_path, load_rubrics


def nearest_other(rubric: Rubric, encoder: Encoder) -> list[float]:
    """Each point's cosine to the nearest other point of its rubric."""
    vectors = np.asarray(encoder.embed([p.text for p in rubric.points]))
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    return [float(x) for x in similarity.max(axis=1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saf", type=Path, default=Path("../shared/data/saf-english"))
    args = parser.parse_args()
    encoder = load_encoder()
    saf = {
        a.group: a.rubric for a in read_split(split_path(args.saf.parent, args.saf.name, "train"))
    }
    closest = [
        x
        for rubric in saf.values()
        if len(rubric.points) > 1
        for x in nearest_other(rubric, encoder)
    ]
    tenth, median, ninetieth = np.percentile(closest, [10, 50, 90])
    print(
        f"SAF train, {len(closest)} points of {len(saf)} rubrics: nearest other point at "
        f"{tenth:.2f} (10th percentile), {median:.2f} (median), {ninetieth:.2f} (90th)"
    )
    for name, rubric in load_rubrics(library_path() / "track-ii").items():
        values = ", ".join(f"{x:.2f}" for x in nearest_other(rubric, encoder))
        print(f"{name}: {values}")


if __name__ == "__main__":
    main()
