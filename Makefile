# Shortcuts for the commands in the README's quick start (scripts/dev.sh does the work).
.PHONY: run test screenshots bench
run:
	bash scripts/dev.sh run
test:
	bash scripts/dev.sh test
# Runs the end-to-end test and copies its screenshots (target/screenshots/) to docs/screenshots/.
screenshots:
	bash scripts/dev.sh screenshots
bench:
	bash scripts/dev.sh bench
