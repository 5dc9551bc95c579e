#!/usr/bin/env bash
# The main job on embedded defaults: writes diagrams and a small MAML run to ./out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product workbook
.build/release/workbook demo --out "${1:-out}"
