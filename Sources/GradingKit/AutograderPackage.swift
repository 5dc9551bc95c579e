import Foundation

/// A Gradescope autograder zip (`grader gradescope`): `setup.sh`, `run_autograder`, the course
/// under `course/` and the data its judges need under `data/`.
///
/// The course copy holds what grading needs and nothing of the answers: `Package.swift` and its
/// pinned `Package.resolved`, the library modules the exercises use, the grader, the exercises
/// (stubs, given code, handouts, checks) and the hidden tests (`Grading/`, without the wrong
/// variants). `Solutions/` never goes in: the judges do not need it. `setup.sh` (run once, as
/// root, with network, when Gradescope builds the image) installs the system packages and Swift
/// (the one already on the machine when its version matches), builds the grader and the judges,
/// and warms a grading workspace by grading the stubs once, so that grading a submission
/// compiles only the student's files. `run_autograder` closes the course to other users (student
/// code runs as an unprivileged user in the sandbox), grades `/autograder/submission` into
/// `/autograder/results/results.json`, and when the grader itself fails still writes a
/// results file that names the cause.
///
/// `AUTOGRADER_ROOT` replaces `/autograder` (to try it on a fake tree).
public enum AutograderPackage {
    /// The course's folders (and files) that the autograder needs.
    public static let shipped = [
        "Package.swift", "Package.resolved",
        "Sources/Autodiff", "Sources/NeuralNetworks", "Sources/TaskData", "Sources/Plots",
        "Sources/CGraphviz", "Sources/COpenBLAS", "Sources/CPNG", "Sources/GradingKit", "Sources/GraderCLI",
        "Exercises", "Grading", "scripts/ensure-deps.sh",
    ]

    /// Settings written into the scripts.
    public struct Settings: Sendable {
        /// The Swift release `setup.sh` installs when the machine has no matching one, e.g. `6.3.1`.
        public var swiftVersion: String
        /// Seconds allowed for one exercise's probes.
        public var testSeconds: Int
        /// Address-space limit of each probe process in MiB (0 for none).
        public var memoryMegabytes: Int

        /// Collects the settings.
        public init(swiftVersion: String, testSeconds: Int = 300, memoryMegabytes: Int = 4096) {
            (self.swiftVersion, self.testSeconds, self.memoryMegabytes) = (swiftVersion, testSeconds, memoryMegabytes)
        }
    }

    /// This machine's Swift release, `6.3.1` from `swift --version`.
    public static func installedSwiftVersion() throws -> String {
        let result = try Shell.run(["swift", "--version"], in: FileManager.default.temporaryDirectory, seconds: 60)
        guard let range = result.output.range(of: #"Swift version [0-9.]+"#, options: .regularExpression) else {
            throw GradingError.commandFailed("cannot read the Swift version from `swift --version` (`grader gradescope --swift-version` names it)")
        }
        return String(result.output[range].dropFirst("Swift version ".count))
    }

    /// Writes the autograder zip to `zip`, with the Omniglot zips of `omniglot` (a folder holding
    /// `images_background*.zip` and its LICENSE) when the course needs them. Returns the zip's size in bytes.
    @discardableResult
    public static func make(repository: URL, zip: URL, settings: Settings, maxPoints: Double, omniglot: URL?) throws -> Int {
        let fileManager = FileManager.default
        let staging = try Shell.privateFolder(prefix: "grader-autograder")
        defer { try? fileManager.removeItem(at: staging) }
        try stage(repository: repository, into: staging, settings: settings, maxPoints: maxPoints, omniglot: omniglot)
        try? fileManager.removeItem(at: zip)
        try fileManager.createDirectory(at: zip.deletingLastPathComponent(), withIntermediateDirectories: true)
        let zipped = try Shell.run(["zip", "-qr", zip.standardizedFileURL.path, "."], in: staging, seconds: 600)
        guard zipped.status == 0 else { throw GradingError.packagingFailed("zip failed: \(zipped.output)") }
        return (try fileManager.attributesOfItem(atPath: zip.path)[.size] as? Int) ?? 0
    }

    /// Lays out the autograder's files in `folder`: `setup.sh`, `run_autograder`, `course/`, `data/`.
    public static func stage(repository: URL, into folder: URL, settings: Settings, maxPoints: Double, omniglot: URL?) throws {
        let files = try PackageFiles.list(repository: repository).filter { path in
            shipped.contains { PackageFiles.path(path, isIn: $0) } && !StudentBundle.isTrainedArtefact(path)
                && !path.split(separator: "/").contains("Variants")
        }
        guard files.contains("Package.resolved") else {
            throw GradingError.packagingFailed("Package.resolved is missing: run `swift package resolve` and commit it, so that the autograder builds the same versions")
        }
        try PackageFiles.copy(files, from: repository, to: folder.appendingPathComponent("course"))
        if let omniglot {
            let zips = (try FileManager.default.contentsOfDirectory(atPath: omniglot.path)).filter { $0.hasSuffix(".zip") || $0 == "LICENSE" }
            guard zips.contains(where: { $0.hasSuffix(".zip") }) else {
                throw GradingError.missingData("\(omniglot.path) holds no Omniglot zip (images_background*.zip)")
            }
            try PackageFiles.copy(zips, from: omniglot, to: folder.appendingPathComponent("data/omniglot"))
        }
        try write(setupScript(settings), to: folder.appendingPathComponent("setup.sh"))
        try write(runScript(settings, maxPoints: maxPoints), to: folder.appendingPathComponent("run_autograder"))
    }

    /// Writes an executable script.
    static func write(_ script: String, to url: URL) throws {
        try script.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// `setup.sh`: system packages, Swift, the grader, the judges, a warm workspace, the data.
    public static func setupScript(_ settings: Settings) -> String {
        """
        #!/usr/bin/env bash
        # Prepares the autograder image once: system packages, Swift \(settings.swiftVersion) (unless the
        # machine already has it), the grader and the judges, a grading workspace warmed on the
        # stubs, and the Omniglot data the judges re-evaluate trained weights on.
        set -euo pipefail
        HERE="$(cd "$(dirname "$0")" && pwd)"
        COURSE="$HERE/course"
        SWIFT_VERSION="${SWIFT_VERSION:-\(settings.swiftVersion)}"
        export DEBIAN_FRONTEND=noninteractive
        . /etc/os-release

        # Swift's own dependencies (build-essential brings the C++ library of the release's compiler)
        # and the libraries the course links against; bubblewrap sandboxes student code where the
        # container allows namespaces.
        apt-get update
        apt-get install -y --no-install-recommends build-essential binutils ca-certificates curl git gnupg2 libcurl4-openssl-dev \\
            libedit2 libpython3-dev libsqlite3-0 libxml2-dev libz3-dev pkg-config tzdata unzip zip zlib1g-dev util-linux \\
            libncurses-dev libopenblas-dev libgraphviz-dev libpng-dev bubblewrap

        # Swift: the machine's when it is this version, else the release for this system from swift.org.
        for candidate in swift /opt/swift/usr/bin/swift; do
            if command -v "$candidate" >/dev/null 2>&1 && "$candidate" --version 2>/dev/null | grep -q "Swift version ${SWIFT_VERSION}"; then
                SWIFT_BIN="$(dirname "$(command -v "$candidate")")"
            fi
        done
        if [ -z "${SWIFT_BIN:-}" ]; then
            case "$ID$VERSION_ID" in
                ubuntu22.04|ubuntu24.04|debian12) PLATFORM="$ID$VERSION_ID" ;;
                *) echo "setup.sh: no Swift release for $PRETTY_NAME; use an Ubuntu 22.04 or 24.04 base image" >&2; exit 1 ;;
            esac
            ARCH_SUFFIX=""; [ "$(uname -m)" = "aarch64" ] && ARCH_SUFFIX="-aarch64"
            FOLDER="${PLATFORM//./}$ARCH_SUFFIX"
            NAME="swift-${SWIFT_VERSION}-RELEASE-${PLATFORM}${ARCH_SUFFIX}"
            curl -fsSL "https://download.swift.org/swift-${SWIFT_VERSION}-release/${FOLDER}/swift-${SWIFT_VERSION}-RELEASE/${NAME}.tar.gz" -o /tmp/swift.tar.gz
            mkdir -p /opt/swift && tar -xzf /tmp/swift.tar.gz -C /opt/swift --strip-components=1 && rm /tmp/swift.tar.gz
            SWIFT_BIN=/opt/swift/usr/bin
        fi
        echo "$SWIFT_BIN" > "$HERE/swift-bin"
        export PATH="$SWIFT_BIN:$PATH"

        # The Omniglot data, unpacked once.
        if ls "$HERE"/data/omniglot/*.zip >/dev/null 2>&1; then
            mkdir -p "$HERE/data/omniglot-images"
            for zip in "$HERE"/data/omniglot/*.zip; do unzip -q -o "$zip" -d "$HERE/data/omniglot-images"; done
            export OMNIGLOT_ROOT="$HERE/data/omniglot-images"
        fi

        # The grader (versions pinned by Package.resolved), the judges, and a workspace warmed on the stubs.
        cd "$COURSE"
        swift build -c release --product grader
        chmod -R o-rwx "$HERE"
        "$COURSE/.build/release/grader" grade "$COURSE/Exercises" --out "$HERE/warm-up" --repository "$COURSE" \\
            --judge-build "$HERE/judges" --workspace "$HERE/workspace" >/dev/null
        rm -rf "$HERE/warm-up"

        """
    }

    /// `run_autograder`: grades `$AUTOGRADER_ROOT/submission` into `$AUTOGRADER_ROOT/results`; when the
    /// grader fails, still writes a `results.json` naming the cause.
    public static func runScript(_ settings: Settings, maxPoints: Double) -> String {
        """
        #!/usr/bin/env bash
        # Grades one Gradescope submission; results.json is always written.
        set -uo pipefail
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        HERE="$ROOT/source"
        COURSE="$HERE/course"
        RESULTS="$ROOT/results"
        export PATH="$(cat "$HERE/swift-bin" 2>/dev/null || echo /opt/swift/usr/bin):$PATH"
        [ -d "$HERE/data/omniglot-images" ] && export OMNIGLOT_ROOT="$HERE/data/omniglot-images"
        mkdir -p "$RESULTS"
        # Student code runs as an unprivileged user: the course and the results are root's alone.
        chmod -R o-rwx "$HERE" "$RESULTS"
        rm -f "$RESULTS/results.json"
        LOG="$(mktemp -d)/grader.log"
        "$COURSE/.build/release/grader" grade "$ROOT/submission" --out "$RESULTS" --repository "$COURSE" \\
            --judge-build "$HERE/judges" --workspace "$HERE/workspace" \\
            --test-seconds \(settings.testSeconds) --memory-megabytes \(settings.memoryMegabytes) 2>&1 | tee "$LOG"
        status=${PIPESTATUS[0]}
        if [ ! -s "$RESULTS/results.json" ]; then
            cause="$(grep -v '^Building\\|^Protection' "$LOG" | tail -n 3 | sed "s|$HERE/||g" | tr '\\n' ' ' | sed 's/["\\\\]/ /g')"
            cat > "$RESULTS/results.json" <<JSON
        {"score": 0, "output": "The autograder stopped before grading (exit status $status): $cause The course staff will grade this submission.",
         "output_format": "md",
         "tests": [{"name": "Autograder: catastrophic error", "score": 0, "max_score": \(formatPoints(maxPoints)), "status": "failed",
                    "output": "The grader stopped (exit status $status): $cause", "visibility": "visible",
                    "tags": ["catastrophic error"]}]}
        JSON
        fi
        exit 0

        """
    }
}
