import Foundation

/// A Gradescope autograder zip (`grader gradescope`): `setup.sh`, `run_autograder` and the
/// course under `course/` (without `Solutions/` and the grader's wrong variants, which student
/// code running on the same machine could otherwise read).
///
/// `run_autograder` reads its root from `AUTOGRADER_ROOT` (default `/autograder`) and the grader
/// binary from `GRADER_BIN` (default the one `setup.sh` built), so it can be tried on a fake tree.
public enum AutograderPackage {
    /// Folders of the repository left out of the autograder.
    public static let withheldFolders = ["Solutions", "Tests/GradingKitTests/Variants", ".ci"]

    /// Settings written into the scripts.
    public struct Settings: Sendable {
        /// The Swift release `setup.sh` installs, e.g. `6.3.1`.
        public var swiftVersion: String
        /// Seconds allowed for one exercise's hidden tests.
        public var testSeconds: Int
        /// Address-space limit of each test process in MiB (0 for none).
        public var memoryMegabytes: Int

        /// Collects the settings.
        public init(swiftVersion: String, testSeconds: Int = 120, memoryMegabytes: Int = 4096) {
            self.swiftVersion = swiftVersion
            self.testSeconds = testSeconds
            self.memoryMegabytes = memoryMegabytes
        }
    }

    /// Writes the autograder zip to `zip`, staging its contents in a temporary folder.
    public static func make(repository: URL, zip: URL, settings: Settings, maxPoints: Double) throws {
        let fileManager = FileManager.default
        let staging = fileManager.temporaryDirectory.appendingPathComponent("grader-autograder-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: staging) }
        try stage(repository: repository, into: staging, settings: settings, maxPoints: maxPoints)
        try? fileManager.removeItem(at: zip)
        try fileManager.createDirectory(at: zip.deletingLastPathComponent(), withIntermediateDirectories: true)
        let zipped = try Shell.run(["zip", "-qr", zip.standardizedFileURL.path, "."], in: staging, seconds: 300)
        guard zipped.status == 0 else { throw GradingError.packagingFailed("zip failed: \(zipped.output)") }
    }

    /// Lays out the autograder's files in `folder`: `setup.sh`, `run_autograder`, `course/`.
    public static func stage(repository: URL, into folder: URL, settings: Settings, maxPoints: Double) throws {
        let files = try PackageFiles.list(repository: repository).filter { path in
            !withheldFolders.contains { PackageFiles.path(path, isIn: $0) } && !StudentBundle.isTrainedArtefact(path)
        }
        try PackageFiles.copy(files, from: repository, to: folder.appendingPathComponent("course"))
        try write(setupScript(settings), to: folder.appendingPathComponent("setup.sh"))
        try write(runScript(settings, maxPoints: maxPoints), to: folder.appendingPathComponent("run_autograder"))
    }

    /// Writes an executable script.
    static func write(_ script: String, to url: URL) throws {
        try script.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// `setup.sh`: the system packages, Swift from swift.org for the image's Ubuntu release, and
    /// a release build of the grader (exercises built from `Exercises/`, as `Solutions/` is absent).
    public static func setupScript(_ settings: Settings) -> String {
        """
        #!/usr/bin/env bash
        # Prepares Gradescope's Ubuntu image: system packages, Swift \(settings.swiftVersion), the grader.
        set -euo pipefail
        SWIFT_VERSION="${SWIFT_VERSION:-\(settings.swiftVersion)}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
            binutils ca-certificates curl git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-s1 \\
            libncurses-dev libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config \\
            tzdata unzip zip zlib1g-dev util-linux libopenblas-dev libgraphviz-dev libpng-dev
        . /etc/os-release
        PLATFORM="ubuntu${VERSION_ID}"              # ubuntu22.04
        PLATFORM_FOLDER="ubuntu${VERSION_ID//./}"   # ubuntu2204
        NAME="swift-${SWIFT_VERSION}-RELEASE-${PLATFORM}"
        curl -fsSL "https://download.swift.org/swift-${SWIFT_VERSION}-release/${PLATFORM_FOLDER}/swift-${SWIFT_VERSION}-RELEASE/${NAME}.tar.gz" -o /tmp/swift.tar.gz
        mkdir -p /opt/swift
        tar -xzf /tmp/swift.tar.gz -C /opt/swift --strip-components=1
        export PATH="/opt/swift/usr/bin:$PATH"
        cd /autograder/source/course
        MAML_IMPLEMENTATION=exercises swift build -c release --product grader

        """
    }

    /// `run_autograder`: grades `$AUTOGRADER_ROOT/submission` into `$AUTOGRADER_ROOT/results`
    /// and, should the grader itself fail, still writes a catastrophic-error `results.json`.
    public static func runScript(_ settings: Settings, maxPoints: Double) -> String {
        """
        #!/usr/bin/env bash
        # Grades one Gradescope submission; results.json is always written.
        set -uo pipefail
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        COURSE="$ROOT/source/course"
        RESULTS="$ROOT/results"
        GRADER="${GRADER_BIN:-$COURSE/.build/release/grader}"
        export PATH="/opt/swift/usr/bin:$PATH"
        mkdir -p "$RESULTS"
        rm -f "$RESULTS/results.json"
        "$GRADER" grade "$ROOT/submission" --out "$RESULTS" --repository "$COURSE" \\
            --test-seconds \(settings.testSeconds) --memory-megabytes \(settings.memoryMegabytes)
        status=$?
        if [ ! -s "$RESULTS/results.json" ]; then
            cat > "$RESULTS/results.json" <<JSON
        {"score": 0, "output": "The autograder itself failed (exit status $status); the course staff will grade this submission.",
         "tests": [{"name": "Autograder: catastrophic error", "score": 0, "max_score": \(formatPoints(maxPoints)), "status": "failed",
                    "output": "The grader stopped before writing results (exit status $status).", "visibility": "visible",
                    "tags": ["catastrophic error"]}]}
        JSON
        fi
        exit 0

        """
    }
}
