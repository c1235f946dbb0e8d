# Konspekt task runner. `make run` starts the app, `make test` runs the tests; both set up
# everything first (uv, the locked dependencies, a portable llama.cpp build).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export HF_HUB_OFFLINE := 1
# Portable llama.cpp: a native build uses AMX/AVX-512 where present and crashes elsewhere.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAVA_BUILD=OFF

.PHONY: setup run test lint bench messages translations screenshot package clean

setup:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.8"
	@$(UV) sync --frozen --quiet

run: setup
	@$(UV) run --frozen konspekt $(ARGS)

test: setup
	$(UV) run --frozen pytest

lint: setup
	$(UV) run --frozen ruff check core cli desktop server tests bench
	$(UV) run --frozen ruff format --check core cli desktop server tests bench
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports

bench: setup
	$(UV) run --frozen python -m bench

# The core's, the CLI's and the server's messages (gettext, docs/translations.md): extract the keys the
# code uses into the .pot templates, note each key's English there for translators, merge
# the templates into the en and ru .po files (translate new entries there, e.g. in Poedit),
# then compile the .mo files the app reads; they are committed, like the .qm.
LOCALE := resources/locale
EXTRACT := pybabel -q extract --no-default-keywords --add-location=file --sort-by-file -w 100 \
	--project Konspekt
messages: setup
	$(UV) run --frozen $(EXTRACT) -k tr -F $(LOCALE)/core.cfg -o $(LOCALE)/core.pot .
	$(UV) run --frozen $(EXTRACT) -k t -F $(LOCALE)/cli.cfg -o $(LOCALE)/cli.pot cli
	$(UV) run --frozen $(EXTRACT) -k t -F $(LOCALE)/server.cfg -o $(LOCALE)/server.pot server
	$(UV) run --frozen python packaging/messages.py core cli server
	for domain in core cli server; do \
	  $(UV) run --frozen pybabel update --no-fuzzy-matching -w 100 \
	    -i $(LOCALE)/$$domain.pot -d $(LOCALE) -D $$domain && \
	  $(UV) run --frozen pybabel compile --statistics -d $(LOCALE) -D $$domain || exit 1; \
	done

# Collect the interface strings into the Russian .ts (translate new ones there, e.g. with
# pyside6-linguist), then compile the .qm the app loads; `messages` does the same for the
# core's and the CLI's gettext catalogues.
translations: messages
	$(UV) run --frozen pyside6-lupdate $$(find desktop -name '*.py' | sort) -ts resources/i18n/konspekt_ru.ts -no-obsolete
	$(UV) run --frozen pyside6-lrelease resources/i18n/konspekt_ru.ts -qm resources/i18n/konspekt_ru.qm

# Screenshots of the real app on a virtual X screen (needs Xvfb: apt-get install xvfb).
SHOTS ?= docs/screenshots
screenshot: setup
	@set -e; tmp=$$(mktemp -d); trap 'kill $$xvfb 2>/dev/null; rm -rf $$tmp' EXIT; \
	Xvfb :97 -screen 0 1280x800x24 -nolisten tcp & xvfb=$$!; sleep 1; \
	for lang in en ru; do \
	  mkdir -p $$tmp/$$lang/data; printf 'max_answer_tokens = 200\n' > $$tmp/$$lang/data/konspekt.toml; \
	  DISPLAY=:97 QT_QPA_PLATFORM=xcb KONSPEKT_KEY_STORE=file KONSPEKT_DATA_DIR=$$tmp/$$lang/data \
	    $(UV) run --frozen python -m tests.e2e.desktop_driver $(SHOTS) --lang $$lang --full; \
	  DISPLAY=:97 QT_QPA_PLATFORM=xcb $(UV) run --frozen python -m tests.ui.team_server_shot $(SHOTS) --lang $$lang; \
	  DISPLAY=:97 QT_QPA_PLATFORM=xcb $(UV) run --frozen python -m tests.ui.model_choice_shot $(SHOTS) --lang $$lang; \
	done

# The one-folder bundle dist/konspekt/ (PyInstaller, from the locked environment and its
# portable llama.cpp) and, where dpkg-deb exists, dist/konspekt_<version>_<arch>.deb.
# packaging/smoke.sh then tries the .deb offline; docs/packaging.md has the rest.
package: setup
	$(UV) run --frozen pyinstaller --noconfirm --log-level WARN --distpath dist \
	    --workpath build/pyinstaller packaging/konspekt.spec
	@if command -v dpkg-deb >/dev/null; then packaging/linux/build-deb.sh; fi

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache build dist
