#!/usr/bin/env bash
# The main job on embedded defaults: diagrams, a sinusoid MAML run and the workbook's chapter
# pages, written to ./out (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
out="${1:-out}"
swift build -c release --product workbook
.build/release/workbook demo --out "$out"
# The quick budgets (labelled on each page) keep this to a few minutes; drop --quick for the
# course-size runs (about ten minutes in all).
.build/release/workbook run all --quick --out "$out/workbook"
echo "Open $out/workbook/index.html in a browser to read the chapters."
