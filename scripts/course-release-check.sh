#!/usr/bin/env bash
# The path from the course repository to students and to Gradescope, end to end, as an
# instructor and a student take it: release the student bundle; build it and check the stubs as a
# student; fill the stubs with the reference and make the zip to upload; make the Gradescope
# autograder, install it on a fake /autograder tree (setup.sh, then run_autograder per submission)
# and grade both zips; build the gradebook. Needs OMNIGLOT_ZIPS (a folder of images_background*.zip).
set -euo pipefail
cd "$(dirname "$0")/.."
REPOSITORY="$PWD"
OMNIGLOT_ZIPS="${OMNIGLOT_ZIPS:-$REPOSITORY/../shared/data/omniglot}"
WORK="$(mktemp -d)"
trap 'chmod -R u+rwX "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
seconds() { date +%s; }

swift build --product grader
GRADER="$(swift build --show-bin-path)/grader"

echo "== Releasing the student bundle"
"$GRADER" release --out "$WORK/bundle"
BUNDLE="$WORK/bundle"
echo "   $(find "$BUNDLE" -type f | wc -l) files, $(du -sh "$BUNDLE" | cut -f1)"
for withheld in Solutions Grading Sources/MetaLearning Sources/Workbook; do
    [ ! -e "$BUNDLE/$withheld" ] || { echo "error: the bundle holds $withheld" >&2; exit 1; }
done

echo "== A student builds the bundle and checks an exercise (stubs: the checks fail)"
( cd "$BUNDLE" && swift build --product grader 2>&1 | tail -1 )
start=$(seconds)
if ( cd "$BUNDLE" && .build/debug/grader check GDStep ); then echo "error: the stub passed its checks" >&2; exit 1; fi
echo "   cold check: $(( $(seconds) - start )) s"
start=$(seconds)
( cd "$BUNDLE" && .build/debug/grader check GDStep >/dev/null ) || true
echo "   warm check: $(( $(seconds) - start )) s"
( cd "$BUNDLE" && .build/debug/grader submit --out "$WORK/stubs.zip" )

echo "== The student fills in every exercise (the reference) and submits"
for folder in "$REPOSITORY"/Solutions/*/; do
    exercise="$(basename "$folder")"
    cp "$folder"*.swift "$BUNDLE/Exercises/$exercise/"
    [ -d "$folder/Assessment" ] && cp -R "$folder/Assessment/." "$BUNDLE/Exercises/$exercise/Assessment/"
done
( cd "$BUNDLE" && .build/debug/grader check )
( cd "$BUNDLE" && .build/debug/grader submit --out "$WORK/reference.zip" )

echo "== The instructor makes the Gradescope autograder"
"$GRADER" gradescope --out "$WORK/autograder.zip" --omniglot "$OMNIGLOT_ZIPS"
ls -la "$WORK/autograder.zip"
ROOT="$WORK/autograder"
mkdir -p "$ROOT/source" "$ROOT/submission" "$ROOT/results"
unzip -q "$WORK/autograder.zip" -d "$ROOT/source"
if [ -e "$ROOT/source/course/Solutions" ]; then echo "error: the autograder holds Solutions/" >&2; exit 1; fi
start=$(seconds)
AUTOGRADER_ROOT="$ROOT" bash "$ROOT/source/setup.sh" > "$WORK/setup.log" 2>&1 || { tail -40 "$WORK/setup.log"; exit 1; }
echo "   setup.sh: $(( $(seconds) - start )) s"

mkdir -p "$WORK/class"
for who in reference stubs; do
    rm -rf "$ROOT/submission"/* "$ROOT/results"/*
    unzip -q "$WORK/$who.zip" -d "$ROOT/submission"
    start=$(seconds)
    AUTOGRADER_ROOT="$ROOT" "$ROOT/source/run_autograder" > "$WORK/$who.log" 2>&1
    echo "   run_autograder ($who): $(( $(seconds) - start )) s"
    mkdir -p "$WORK/class/$who"
    cp "$ROOT/results/results.json" "$WORK/class/$who/results.json"
done

echo "== Checking the scores and the results"
python3 - "$WORK/class" <<'PY'
import json, sys, os
folder = sys.argv[1]
expect = {"reference": 77, "stubs": 0}
for who, score in expect.items():
    results = json.load(open(os.path.join(folder, who, "results.json")))
    assert results["score"] == score, f"{who}: score {results['score']}, expected {score}: {results.get('output')}"
    text = json.dumps(results)
    for secret in ["/tmp/", "/autograder/", "Solutions/", "Grading/"]:
        assert secret not in text, f"{who}: results.json shows {secret}"
    assert all(t["visibility"] in ("visible", "hidden", "after_due_date", "after_published") for t in results["tests"])
    assert results.get("output_format") == "md"
    print(f"   {who}: {results['score']} points ({results['output']})")
PY
"$GRADER" gradebook "$WORK/class"
cat "$WORK/class/gradebook.csv" | cut -c1-160
