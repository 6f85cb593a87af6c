# Everything a fresh machine needs: `make run` for the bot, `make test` for the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= config.toml
# Not AS: GNU make predefines AS (the assembler), so `AS ?= leader` would never apply.
ROLE ?= leader
STAMP := $(VENV)/.installed

.PHONY: run demo test lint bench upgrade clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# First run: start from the example, ready for Bình Lư; edit it before going live.
$(CONFIG):
	cp config.example.toml $(CONFIG)
	@echo "Đã tạo $(CONFIG) từ config.example.toml – hãy sửa theo số liệu của xã."

run: $(STAMP) $(CONFIG)
	$(BIN)/python -m bot run --config $(CONFIG)

demo: $(STAMP)
	$(BIN)/python -m bot demo --as $(ROLE)

# Two workers: the suite spends much of its time waiting on subprocesses and fsync.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

upgrade: $(STAMP)
	$(BIN)/python -m bot db upgrade --config $(CONFIG)

clean:
	rm -rf $(VENV) .pytest_cache
