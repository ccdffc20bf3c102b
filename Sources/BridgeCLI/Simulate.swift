import ArgumentParser
import BridgeRuntime
import BridgeSimulator
import Hummingbird
import Logging

/// `onebot-bridge simulate`: a OneBot 11 HTTP server answering with the seeds' example data.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a simulated OneBot 11 server (NapCat, Lagrange, icqq or go-cqhttp shaped) for offline work.")

    @Option(help: "napcat, lagrange, icqq or gocqhttp.") var dialect = "napcat"
    @Option(help: "host:port to listen on.") var listen = "127.0.0.1:3000"
    @Option(help: "Require this access token (Bearer).") var token = ""
    @Option(help: "trace, debug, info, warning, error.") var logLevel = "info"

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let scenario = try exitOnError(78) { try SimulatorScenario.named(dialect) }
        guard let address = HostPort(listen) else {
            throw ValidationError("--listen must be host:port, not '\(listen)'")
        }
        let server = SimulatorServer(scenario: scenario, token: token)
        let app = server.application(host: address.host, port: address.port, logger: logger)
        try await app.run()
    }
}
