import Hummingbird

/// A server started in the background, for `demo` and tests: it knows its port and stops on request.
package struct RunningServer: Sendable {
    package let port: Int
    private let task: Task<Void, any Error>

    /// Starts the application built by `make` and waits until it listens.
    ///
    /// `make` receives the callback to pass as the application's `onRunning`.
    package static func start<App: ApplicationProtocol>(
        _ make: (@escaping @Sendable (Int) async -> Void) throws -> App
    ) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try make { port in continuation.yield(port) }
        // No signal handling here: a background server is stopped by `stop()`, and trapping SIGTERM would
        // take the signal away from the foreground application (demo would never exit).
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await port in ports {
            return RunningServer(port: port, task: task)
        }
        task.cancel()
        throw CancellationError()
    }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Stops the server and waits until it has shut down.
    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
