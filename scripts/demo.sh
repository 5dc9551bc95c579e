#!/usr/bin/env bash
# The main job on embedded defaults: diagrams, a sinusoid MAML run and the workbook's chapter
# pages, written to ./out (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
out="${1:-out}"
swift build -c release --product workbook
.build/release/workbook demo --out "$out"
.build/release/workbook run all --out "$out/workbook"
echo "Open $out/workbook/index.html in a browser to read the chapters."
