# assess: `make run` serves the HTTP API and pages at http://127.0.0.1:8000; `make demo`
# grades the example answers on the command line; `make test` runs the test suite.
# Both set up .venv first (idempotent: redone only when pyproject.toml changes).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run serve demo test lint calibrate eval bench clean judge eval-no-judge

JUDGE  := $(VENV)/share/assess/judge/judge.json
DELTA  := models/artefacts/judge-v1.safetensors

setup: $(STAMP) $(JUDGE)

# torch first: `pip install torch==2.13.0` takes the CPU build that this machine keeps on
# disk; installed after sentence-transformers, pip would pull a CUDA build of several GB.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m models.onnx  # ONNX fp32 + int8 from the packaged weights, offline
	touch $(STAMP)

# The pair judge: the packaged MiniLM fine-tuned as a cross-encoder, committed as its
# difference from the packaged weights (4 bits a weight, models/judge_delta.py) and assembled
# here into an fp32 ONNX model (models/judge_build.py; about ten seconds, offline).
$(JUDGE): $(DELTA) $(DELTA:.safetensors=.json) models/judge_build.py | $(STAMP)
	$(BIN)/python -m models.judge_build
	touch $(JUDGE)

# Retrains the committed judge (about half an hour on two quiet cores): SemEval-2013 train and
# SAF train's full- and no-mark answers, with a classmate's correct answer as a second
# reference (--peers 1) and each correct answer also denied (--denials), in batches of
# near-equal length (assess/judge_training.py). See docs/accuracy.md.
judge: | $(STAMP)
	$(BIN)/python -m assess.judge_training --data $(SHARED)/data/semeval2013-3way \
		--saf $(SHARED)/data/saf-english --peers 1 --denials --length-batches \
		--delta $(DELTA) --force

# The engine without the pair judge (the frozen encoder's figures, beside the default's).
eval-no-judge: setup
	ASSESS_JUDGE=none $(BIN)/assess evaluate \
		--data $(SHARED)/data/semeval2013-3way --corpus beetle --corpus sciEntsBank \
		--split test_unseen_answers --split test_unseen_questions --graded-split train \
		--report docs/evaluation/semeval-no-judge

# The service on its embedded default: SQLite under ./data, the packaged model, in-process
# jobs, the library rubrics; the first start prints a development API key once.
run serve: setup
	$(BIN)/assess serve

demo: setup
	rm -f out/track-ii-results.jsonl
	$(BIN)/assess grade --rubric rubrics/library/track-ii examples/track-ii-answers.csv \
		-o out/track-ii-results.jsonl --show

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Refit the point model (the default scorer), the example model (reads a calibrated rubric's
# graded answers), and the coverage-v1 calibrator, contradiction model and baselines, on
# SemEval-2013 train, and the score model (reads a calibrated rubric's scores given whole) on
# SAF train (writes models/artefacts/).
calibrate: setup
	$(BIN)/python -m assess.training --data $(SHARED)/data/semeval2013-3way
	$(BIN)/python -m assess.baseline_training --data $(SHARED)/data/semeval2013-3way
	$(BIN)/python -m assess.contradiction_training --data $(SHARED)/data/semeval2013-3way
	$(BIN)/python -m assess.point_training --data $(SHARED)/data/semeval2013-3way
	$(BIN)/python -m assess.example_training --data $(SHARED)/data/semeval2013-3way
	$(BIN)/python scripts/score_training.py --data $(SHARED)/data/saf-english

# Agreement with human graders on the test splits (writes docs/evaluation/).
eval: setup
	$(BIN)/assess evaluate --data $(SHARED)/data/semeval2013-3way --corpus beetle \
		--corpus sciEntsBank --split test_unseen_answers --split test_unseen_questions \
		--graded-split train --report docs/evaluation/semeval --card models/artefacts/point-v6.json \
		--card models/artefacts/examples-v7.json
	$(BIN)/assess evaluate --data $(SHARED)/data --corpus saf-english \
		--split test_unseen_answers --split test_unseen_questions --graded-split train \
		--report docs/evaluation/saf
	$(BIN)/python -m assess.robustness --data $(SHARED)/data/semeval2013-3way \
		--out docs/evaluation/robustness.md
	$(BIN)/python -m assess.several_points --data $(SHARED)/data/semeval2013-3way \
		--graded-split train --out docs/evaluation/several-points.md

# Speed benchmark (figures in docs/performance/; BENCH_ARGS="--n 300" for a quick run).
bench: setup
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
