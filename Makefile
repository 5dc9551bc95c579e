# Shortcuts for the scripts in scripts/ (each installs missing system packages first).
.PHONY: demo test bench

demo:
	scripts/demo.sh

test:
	scripts/test.sh

bench:
	swift build -c release --product bench
	.build/release/bench sine-maml
	.build/release/bench sine-maml --first-order
