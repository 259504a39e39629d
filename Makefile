# The few commands a newcomer needs. Each sets up what it uses (scripts/bootstrap).
.PHONY: setup demo test test-fast lint bench browsers clean

PORT ?= 8000

setup:
	@./scripts/bootstrap

demo: setup  ## set up, migrate, seed the demo company and serve it at http://127.0.0.1:$(PORT)
	.venv/bin/ecotone demo --port $(PORT)

test: setup  ## the whole suite, browser journeys included (on DATABASE_URL, SQLite by default)
	@./scripts/browsers
	.venv/bin/pytest -n 2 --dist loadfile

test-fast: setup  ## the suite without the browser journeys
	.venv/bin/pytest -n 2 --dist loadfile -m "not browser"

lint: setup  ## ruff, mypy (strict) and the import-linter contracts
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy src
	.venv/bin/lint-imports

bench: setup  ## every benchmark, figures printed
	@for b in bench/*.py; do echo "== $$b"; .venv/bin/python $$b || exit 1; done

clean:
	rm -rf .venv var
