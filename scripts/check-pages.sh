#!/usr/bin/env bash
# Opens every chapter page under the given folder in headless Chromium, takes a screenshot of
# each, and fails if one is blank. Installs chromium with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:?usage: scripts/check-pages.sh <folder written by workbook run>}"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing: ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
shots="$pages/screenshots"
mkdir -p "$shots"
count=0
for page in "$pages"/*/index.html; do
    chapter="$(basename "$(dirname "$page")")"
    [ "$chapter" = screenshots ] && continue
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1800 \
        --screenshot="$shots/$chapter.png" "file://$(realpath "$page")" >/dev/null 2>&1
    python3 scripts/page_not_blank.py "$shots/$chapter.png"
    count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "no chapter pages under $pages" >&2; exit 1; }
echo "$count chapter pages rendered in Chromium and none is blank; screenshots in $shots"
