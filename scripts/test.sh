#!/usr/bin/env bash
# Runs the whole test suite (installing missing system packages first). The FOMAML assessment's
# hidden tests re-evaluate trained weights on real Omniglot: when OMNIGLOT_ROOT is unset and the
# shared data is beside the clone, it is unpacked into a temporary folder for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
omniglot_zips=(../shared/data/omniglot/*.zip)
if [ -z "${OMNIGLOT_ROOT:-}" ] && [ -e "${omniglot_zips[0]}" ]; then
    OMNIGLOT_ROOT="$(mktemp -d)"
    trap 'rm -rf "$OMNIGLOT_ROOT"' EXIT
    for zip in "${omniglot_zips[@]}"; do unzip -q -o "$zip" -d "$OMNIGLOT_ROOT"; done
    export OMNIGLOT_ROOT
    echo "Omniglot unpacked to $OMNIGLOT_ROOT"
fi
swift build --build-tests
swift test "$@"
