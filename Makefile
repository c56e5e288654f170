.PHONY: run test setup bench translations
run:    ## set up and serve Alur at http://127.0.0.1:5000 with the demo course
	bash scripts/run.sh
test:   ## set up and run the whole suite on SQLite, then PostgreSQL
	bash scripts/test.sh
setup:
	bash scripts/setup.sh
bench:
	bash scripts/bench.sh
translations:  ## re-extract messages and update the Indonesian catalogue
	.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o translations/messages.pot .
	.venv/bin/pybabel update -i translations/messages.pot -d translations -l id --no-fuzzy-matching
