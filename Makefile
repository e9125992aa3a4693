# The README's two commands: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_VENV := .venv-bench
BENCH_PY := $(BENCH_VENV)/bin/python

.PHONY: demo test lint format install shell ext bench bench-quick clean fuzz conformance-tf conformance-keras

# The set-up: runs when .venv is missing or older than what it was built from.
# Each step says what it does first (the kernels take about 2 minutes on 2 cores).
$(STAMP): pyproject.toml setup.py $(wildcard _ext/*.pyx _ext/*.pxd)
	@test -x $(PY) || echo "==> creating the virtual environment $(VENV)/ ($(PYTHON) -m venv)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> installing the build tools into $(VENV)/ (setuptools, wheel, Cython)"
	$(PY) -m pip install -q "setuptools>=64" wheel "Cython>=3.0"
	@echo "==> installing pipeline's dependencies into $(VENV)/, then compiling the Cython kernels of _ext/ (about 2 minutes on 2 cores; no output until done)"
	$(PY) -m pip install -q --no-build-isolation -e '.[dev]'
	touch $(STAMP)
	@echo "==> $(VENV)/ is ready: run '. $(VENV)/bin/activate' (or 'make shell') to use pipeline and its python"

install: $(STAMP)

# A bash shell with .venv active (activated after ~/.bashrc, so that nothing there,
# such as pyenv's shims, comes before it on PATH); `exit` leaves it.
shell: $(STAMP)
	@printf '%s\n' '[ -f ~/.bashrc ] && . ~/.bashrc' '. "$(abspath $(VENV))/bin/activate"' \
		> $(VENV)/.shellrc
	@echo "==> a bash shell with $(VENV)/ active: pipeline and python are $(VENV)'s; 'exit' leaves it"
	@bash --rcfile $(VENV)/.shellrc -i

# Rebuild the compiled kernels in place (after editing _ext/*.pyx).
ext: $(STAMP)
	@echo "==> compiling the Cython kernels of _ext/ that changed since the last build"
	$(PY) setup.py -q build_ext --inplace

demo: $(STAMP)
	$(PY) -m pipeline.demo

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: $(STAMP) ext lint
	$(PY) -m pytest -p no:cacheprovider

# Randomized fuzzing of the parsers (tools/fuzz): FUZZ_CASES cases, or fewer when
# FUZZ_SECONDS (a time box) runs out first; FUZZ_SEED repeats a run, FUZZ_JOBS sets
# the worker processes (default: one per CPU). Inputs of findings go to .fuzz-findings/;
# the exit status is non-zero on any crash, hang, slow case, wrong error or twin mismatch.
FUZZ_CASES ?= 1000000
FUZZ_SECONDS ?=
FUZZ_SEED ?=
FUZZ_JOBS ?=
fuzz: $(STAMP) ext
	$(PY) -m tools.fuzz --cases $(FUZZ_CASES) $(if $(FUZZ_SECONDS),--seconds $(FUZZ_SECONDS)) \
		$(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) $(if $(FUZZ_JOBS),--jobs $(FUZZ_JOBS))

$(BENCH_VENV)/.installed: pyproject.toml setup.py
	test -x $(BENCH_PY) || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q "setuptools>=64" wheel "Cython>=3.0"
	$(BENCH_PY) -m pip install -q --no-build-isolation -e '.[bench]'
	touch $@

# Every benchmarks/bench_*.py, ours and TensorFlow side by side; the summary table
# goes into benchmarks/RESULTS.md. bench-quick: tiny sizes, one pass (a smoke test
# whose table goes to benchmarks/data/RESULTS-trial.md).
bench: $(BENCH_VENV)/.installed
	$(BENCH_PY) -m benchmarks.run_all

bench-quick: $(BENCH_VENV)/.installed
	$(BENCH_PY) -m benchmarks.run_all --quick

# The ported TensorFlow unit-test cases (tests/conformance), run against TF 2.21
# to validate each translation, then against pipeline; prints the match rate.
conformance-tf: $(BENCH_VENV)/.installed
	$(BENCH_PY) -m tools.conformance_against_tf

# Only the ported Keras 3 cases (tests/conformance/nn), against Keras 3.15 on its
# TensorFlow backend, then against pipeline.nn.
conformance-keras: $(BENCH_VENV)/.installed
	$(BENCH_PY) -m tools.conformance_against_tf tests/conformance/nn

clean:
	rm -rf build pipeline/_native/*.so _ext/*.c
