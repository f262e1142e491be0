# Concejo — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test lint format bench venv clean

$(STAMP): pyproject.toml requirements/lock.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/concejo migrate --noinput
	$(BIN)/concejo collectstatic --noinput --verbosity 0
	$(BIN)/concejo seed_demo
	@echo "Concejo en http://127.0.0.1:$(PORT)/  (sede /, backoffice /backoffice/, admin /admin/, API /api/v1/docs/)"
	$(BIN)/gunicorn concejo.conf.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --threads 4 \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	tools/run-tests.sh

bench: venv
	tools/run-bench.sh

clean:
	rm -rf $(VENV) var build src/*.egg-info
