import Foundation

/// Timing and memory helpers shared by the benchmarks.
enum Measurement {
    /// Runs `step` for `windows` windows of at least `seconds` each (after `warmup` calls) and
    /// returns each window's rate in steps per second of wall-clock time and per CPU second of
    /// this process (the steadier figure when other work shares the cores).
    static func rates(windows: Int, seconds: Double, warmup: Int, _ step: () -> Void) -> (wall: [Double], cpu: [Double]) {
        for _ in 0..<warmup { step() }
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<windows {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
            var count = 0
            var elapsed = 0.0
            repeat {
                step()
                count += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            wall.append(Double(count) / elapsed)
            cpu.append(Double(count) / (processCPUSeconds() - cpuStart))
        }
        return (wall, cpu)
    }

    /// CPU seconds this process has used so far (all threads). On a machine shared with other
    /// work, CPU time per step varies far less than wall-clock time, which counts waiting too.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The median of a non-empty list.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// A field of /proc/self/status in MiB (VmRSS: resident now; VmHWM: peak resident).
    static func memoryMiB(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }

    /// Prints one JSON object with sorted keys on a single line.
    static func printJSON(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Rounds for display.
    static func rounded(_ value: Double, _ digits: Int = 2) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}
