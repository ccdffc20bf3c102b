import Foundation
import NIOCore
import NIOPosix

/// How many event-loop threads the bridge runs.
package enum EventLoopThreads {
    /// Sets the NIO singleton group's size before anything uses it: `configured`, or with 0 one per
    /// CPU this process may actually run on. NIO counts cgroup quotas but not the affinity mask, so a
    /// bridge pinned to one CPU (`taskset -c 0`, a cpuset) would otherwise run two loops that take
    /// turns on that CPU, paying a context switch where none is needed.
    package static func configure(_ configured: Int) {
        NIOSingletons.groupLoopCountSuggestion = configured > 0 ? configured : min(System.coreCount, affinityCount() ?? .max)
    }

    /// CPUs in this process's affinity mask, from `/proc/self/status` (`Cpus_allowed_list: 0-1,4`).
    static func affinityCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return nil }
        var count = 0
        for range in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
            let bounds = range.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let low = bounds.first, let high = bounds.last, high >= low else { return nil }
            count += high - low + 1
        }
        return count > 0 ? count : nil
    }
}
