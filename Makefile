# Shortcuts for the commands in the README's quick start (scripts/dev.sh does the work).
.PHONY: run test bench
run:
	bash scripts/dev.sh run
test:
	bash scripts/dev.sh test
bench:
	bash scripts/dev.sh bench
