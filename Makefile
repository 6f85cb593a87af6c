# Everything a fresh machine needs: `make run` for the bot, `make test` for the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= config.toml
# Not AS: GNU make predefines AS (the assembler), so `AS ?= leader` would never apply.
ROLE ?= leader
STAMP := $(VENV)/.installed
# What the skip line adds when the browser tests (tests/web, Debian's chromium and chromium-driver) cannot run here.
BROWSERLESS := $(if $(and $(wildcard /usr/bin/chromium),$(wildcard /usr/bin/chromedriver)),,: chưa cài chromium và chromium-driver)
PG_EXAMPLE := postgresql+asyncpg://postgres@127.0.0.1:5432/test

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

# The suite twice: on SQLite, then on PostgreSQL when TEST_POSTGRES_URL names a server (every test its own database).
# Workers: one per core; the suite spends much of its time waiting on subprocesses and fsync.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "Lượt PostgreSQL (PostgreSQL pass, TEST_POSTGRES_URL):"; \
		$(BIN)/python -m pytest -q -n auto --database postgresql || exit $$?; \
		$(if $(BROWSERLESS),echo "Bỏ qua kiểm thử trình duyệt (browser tests skipped)$(BROWSERLESS).";) \
	else \
		echo "Bỏ qua lượt PostgreSQL (PostgreSQL pass skipped): chưa đặt TEST_POSTGRES_URL, vd. $(PG_EXAMPLE)$(if $(BROWSERLESS),; bỏ qua cả kiểm thử trình duyệt$(BROWSERLESS))."; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

upgrade: $(STAMP)
	$(BIN)/python -m bot db upgrade --config $(CONFIG)

clean:
	rm -rf $(VENV) .pytest_cache
