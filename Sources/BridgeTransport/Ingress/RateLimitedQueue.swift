import Logging

/// Runs `_rate_limited` calls one at a time, `interval` apart (OB11 §7.2, default 500 ms).
///
/// The consumer task is started here, the one documented boundary where this face spawns work: the
/// caller has already been answered `async`. A full queue drops the newest call and logs it.
package final class RateLimitedQueue: Sendable {
    package typealias Work = @Sendable () async -> Void

    private let continuation: AsyncStream<Work>.Continuation
    private let logger: Logger

    package init(interval: Duration = .milliseconds(500), capacity: Int = 10_000, logger: Logger) {
        let (stream, continuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingOldest(capacity))
        self.continuation = continuation
        self.logger = logger
        Task {
            for await work in stream {
                await work()
                try? await Task.sleep(for: interval)
            }
        }
    }

    package func enqueue(_ work: @escaping Work) {
        if case .dropped = continuation.yield(work) {
            logger.warning("rate-limited queue full; call dropped")
        }
    }

    deinit {
        continuation.finish()
    }
}
