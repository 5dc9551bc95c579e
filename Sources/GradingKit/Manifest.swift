import Foundation

/// The points of the course: every exercise's graded parts, as the exercises' judge programs
/// declare them (`<E>Judge parts`): the points sit beside the checks that award them, and this
/// is only their collected form.
public struct GradingManifest: Codable, Equatable, Sendable {
    /// One graded part and the points it carries.
    public struct Part: Codable, Equatable, Sendable {
        /// Short identifier of the part inside its exercise, e.g. `update`.
        public var id: String
        /// Points earned when every check of the part holds.
        public var points: Double
        /// The heading of the handout section to re-read when the part fails.
        public var section: String
        /// One line saying what the part checks, shown to students.
        public var summary: String
        /// True when a probe runs the student's code for it; false when the submitted files alone decide it.
        public var probed: Bool
        /// Seconds the probe may run.
        public var seconds: Int

        /// Collects a part's fields.
        public init(id: String, points: Double, section: String, summary: String, probed: Bool = true, seconds: Int = 60) {
            (self.id, self.points, self.section, self.summary, self.probed, self.seconds) = (id, points, section, summary, probed, seconds)
        }
    }

    /// One exercise and its parts.
    public struct Exercise: Codable, Equatable, Sendable {
        /// The module name, e.g. `GDStep`.
        public var name: String
        /// The handout question it comes from.
        public var question: String
        /// True for an extra-credit exercise: its points come on top of the course's total
        /// (`GradingManifest.maxPoints` leaves them out). JSON key `extraCredit`, false when absent.
        public var extraCredit: Bool
        /// Environment variables that must name an existing folder for the hidden tests to run
        /// (the FOMAML assessment re-evaluates weights on Omniglot). JSON key `dataFolders`,
        /// empty when absent.
        public var dataFolders: [String]
        /// Its graded parts.
        public var parts: [Part]

        /// Collects an exercise's fields.
        public init(name: String, question: String, extraCredit: Bool = false, dataFolders: [String] = [], parts: [Part]) {
            self.name = name
            self.question = question
            self.extraCredit = extraCredit
            self.dataFolders = dataFolders
            self.parts = parts
        }

        private enum CodingKeys: String, CodingKey { case name, question, extraCredit, dataFolders, parts }

        /// Decodes an exercise; a missing `extraCredit` means a regular exercise.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(name: try container.decode(String.self, forKey: .name),
                      question: try container.decode(String.self, forKey: .question),
                      extraCredit: try container.decodeIfPresent(Bool.self, forKey: .extraCredit) ?? false,
                      dataFolders: try container.decodeIfPresent([String].self, forKey: .dataFolders) ?? [],
                      parts: try container.decode([Part].self, forKey: .parts))
        }

        /// Encodes an exercise, writing `extraCredit` only when it is true.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(question, forKey: .question)
            if extraCredit { try container.encode(true, forKey: .extraCredit) }
            if !dataFolders.isEmpty { try container.encode(dataFolders, forKey: .dataFolders) }
            try container.encode(parts, forKey: .parts)
        }

        /// The sum of the parts' points.
        public var maxPoints: Double { parts.reduce(0) { $0 + $1.points } }
    }

    /// A title for reports.
    public var course: String
    /// The exercises in handout order.
    public var exercises: [Exercise]

    /// A manifest of `exercises` under the title `course` (call `check()` before use).
    public init(course: String, exercises: [Exercise]) {
        self.course = course
        self.exercises = exercises
    }

    /// The course's full marks: the points of every regular exercise. Extra-credit exercises
    /// are left out, so a grade can exceed it by at most `extraPoints`.
    public var maxPoints: Double { exercises.filter { !$0.extraCredit }.reduce(0) { $0 + $1.maxPoints } }

    /// The points of the extra-credit exercises, earned on top of `maxPoints`.
    public var extraPoints: Double { exercises.filter(\.extraCredit).reduce(0) { $0 + $1.maxPoints } }

    /// The names of the extra-credit exercises.
    public var extraCreditExercises: Set<String> { Set(exercises.filter(\.extraCredit).map(\.name)) }

    /// Checks that every data folder the exercises in `names` (all when nil) need is named by its
    /// environment variable and exists; throws `GradingError.missingData` naming the variable and
    /// the exercises otherwise, so a grading run stops before any student loses points to it.
    public func checkDataFolders(for names: [String]? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var needs: [String: [String]] = [:]
        for exercise in exercises where names?.contains(exercise.name) ?? true {
            for variable in exercise.dataFolders { needs[variable, default: []].append(exercise.name) }
        }
        for (variable, users) in needs.sorted(by: { $0.key < $1.key }) {
            var isFolder: ObjCBool = false
            let value = environment[variable] ?? ""
            guard !value.isEmpty, FileManager.default.fileExists(atPath: value, isDirectory: &isFolder), isFolder.boolValue else {
                let state = value.isEmpty ? "is not set" : "names \(value), which is not a folder"
                throw GradingError.missingData("\(variable) \(state); the hidden tests of \(users.joined(separator: ", ")) need it "
                    + "(set it to a folder of Omniglot alphabets before grading)")
            }
        }
    }

    /// The exercise called `name`, if the manifest has it.
    public func exercise(named name: String) -> Exercise? { exercises.first { $0.name == name } }

    /// Throws unless names are unique, every exercise has parts and every part positive points.
    public func check() throws {
        guard !exercises.isEmpty else { throw GradingError.invalidManifest("no exercises") }
        var seen = Set<String>()
        for exercise in exercises {
            guard seen.insert(exercise.name).inserted else { throw GradingError.invalidManifest("exercise \(exercise.name) appears twice") }
            guard !exercise.parts.isEmpty else { throw GradingError.invalidManifest("exercise \(exercise.name) has no parts") }
            var parts = Set<String>()
            for part in exercise.parts {
                guard parts.insert(part.id).inserted else { throw GradingError.invalidManifest("\(exercise.name): part \(part.id) appears twice") }
                guard part.points > 0, part.points.isFinite else {
                    throw GradingError.invalidManifest("\(exercise.name)/\(part.id): points must be positive, got \(part.points)")
                }
            }
        }
    }
}
