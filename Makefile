# Konspekt task runner. `make run` starts the app, `make test` runs the tests; both set up
# everything first (uv, the locked dependencies, a portable llama.cpp build).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export HF_HUB_OFFLINE := 1
# Portable llama.cpp: a native build uses AMX/AVX-512 where present and crashes elsewhere.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAVA_BUILD=OFF

.PHONY: setup run test lint bench package clean

setup:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.8"
	@$(UV) sync --frozen --quiet

run: setup
	@$(UV) run --frozen konspekt $(ARGS)

test: setup
	$(UV) run --frozen pytest

lint: setup
	$(UV) run --frozen ruff check core cli tests bench
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports

bench: setup
	$(UV) run --frozen python -m bench

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
