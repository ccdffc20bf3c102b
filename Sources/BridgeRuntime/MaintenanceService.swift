import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Keeps the running bridge current: reloads on SIGHUP and when the config file or a mapping table
/// changes, and retries upstream auto-detect until it succeeds. Stops on graceful shutdown.
struct MaintenanceService: Service {
    let controller: BridgeController
    /// Where to reload from; nil when the bridge was built from a fixed configuration (demo, tests).
    let source: ConfigurationSource?
    let logger: Logger
    var pollInterval: Duration = .seconds(2)

    func run() async throws {
        // A service that returns early would stop the whole group, so this one lives until shutdown.
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { await detectUntilKnown() }
                    group.addTask { try await Task.sleep(for: .seconds(365 * 86_400)) }
                    guard let source else { return }
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) {
                            logger.info("SIGHUP: reloading")
                            controller.reload(from: source)
                        }
                    }
                    group.addTask { try await watchFiles(source) }
                }
            }
        } catch is CancellationError {
            return
        }
    }

    private func detectUntilKnown() async {
        while !Task.isCancelled, await !controller.detectUpstream() {
            try? await Task.sleep(for: .seconds(3))
        }
    }

    /// Polls modification times: portable, and a config file replaced by an editor or a
    /// Kubernetes ConfigMap symlink swap is seen the same way.
    private func watchFiles(_ source: ConfigurationSource) async throws {
        var seen = fingerprint(source)
        while true {
            try await Task.sleep(for: pollInterval)
            let now = fingerprint(source)
            if now != seen {
                seen = now
                logger.info("configuration or mapping files changed: reloading")
                controller.reload(from: source)
            }
        }
    }

    private func fingerprint(_ source: ConfigurationSource) -> [String] {
        var paths: [String] = source.file.map { [$0] } ?? []
        if let directory = controller.configuration.mappingsDirectory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            paths += names.sorted().map { (directory as NSString).appendingPathComponent($0) }
        }
        return paths.map { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path)|\(modified)|\(attributes?[.size] as? Int ?? -1)"
        }
    }
}
