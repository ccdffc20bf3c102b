import AsyncHTTPClient
import BridgeCore
import BridgeMapping
import BridgeRuntime
import BridgeSimulator
import BridgeTransport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// A real bridge in front of a real simulated upstream, both on 127.0.0.1 port 0, spoken to over HTTP.
struct BridgeHarness {
    let bridge: RunningServer
    let upstream: RunningServer?
    let simulator: SimulatorServer?
    let controller: BridgeController
    let client: HTTPClient

    static let logger: Logger = {
        var logger = Logger(label: "integration")
        logger.logLevel = .critical
        return logger
    }()

    /// Starts a simulator of `dialect` and a bridge in front of it.
    static func start(dialect: String, accessToken: String = "", rootDialect: String = "onebot12",
                      configuredDialect: String? = nil, configure: (inout BridgeConfiguration) -> Void = { _ in }) async throws
        -> BridgeHarness
    {
        let simulator = SimulatorServer(scenario: try SimulatorScenario.named(dialect))
        let upstream = try await RunningServer.start { onRunning in
            simulator.application(host: "127.0.0.1", port: 0, logger: logger, onRunning: onRunning)
        }
        var configuration = BridgeConfiguration()
        configuration.upstreamDialect = configuredDialect ?? dialect
        configuration.upstreamURL = "http://127.0.0.1:\(upstream.port)"
        configuration.accessToken = accessToken
        configuration.defaultClientDialect = rootDialect
        configure(&configuration)
        return try await start(configuration: configuration, upstream: upstream, simulator: simulator)
    }

    /// Starts a bridge with `configuration` (its listen port is replaced by 0).
    static func start(configuration: BridgeConfiguration, upstream: RunningServer? = nil,
                      simulator: SimulatorServer? = nil) async throws -> BridgeHarness {
        var configuration = configuration
        configuration.listen = HostPort(host: "127.0.0.1", port: 0)
        let controller = try BridgeController(configuration: configuration, tables: try MappingLoader.embedded(),
                                              logger: logger)
        let bridge = try await RunningServer.start { onRunning in
            BridgeServer.application(controller: controller, source: nil, logger: logger, onRunning: onRunning)
        }
        return BridgeHarness(bridge: bridge, upstream: upstream, simulator: simulator, controller: controller,
                             client: HTTPClient(eventLoopGroupProvider: .singleton))
    }

    /// POSTs `body` to the bridge's `path`; returns the status and the parsed body (null when not JSON).
    func post(_ body: String, path: String = "/v12", headers: [(String, String)] = [("Content-Type", "application/json")])
        async throws -> (status: Int, body: JSONValue)
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)\(path)")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 24)
        let json = (try? HTTPParams.json(buffer)) ?? .null
        return (Int(response.status.code), json)
    }

    /// Any HTTP call to the bridge: method, path with query, optional body; returns status and JSON body.
    func request(_ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String? = nil,
                 headers: [(String, String)] = []) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)\(path)")
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 24)
        return (Int(response.status.code), (try? HTTPParams.json(buffer)) ?? .null)
    }

    /// Waits up to two seconds for the upstream to receive `action` (for `_async` calls).
    func waitForCall(_ action: String) async throws -> JSONObject? {
        for _ in 0..<40 {
            if let params = lastParams(of: action) { return params }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// An OB12 action over HTTP; returns the OB12 response envelope.
    func call(_ action: String, _ params: JSONValue = [:], echo: String? = nil) async throws -> JSONObject {
        var envelope: JSONObject = ["action": .string(action), "params": params]
        if let echo { envelope["echo"] = .string(echo) }
        let (status, body) = try await post(JSONValue.object(envelope).jsonText)
        precondition(status == 200, "HTTP \(status) for \(action)")
        return body.objectValue ?? [:]
    }

    /// What the simulated upstream received, oldest first.
    var received: [JSONValue] { simulator?.recorder.calls ?? [] }

    /// The params of the newest call of `action` the upstream received. The bridge also asks
    /// `get_login_info` on its own at start, so tests look calls up by name, not by position.
    func lastParams(of action: String) -> JSONObject? {
        received.last { $0.objectValue?["action"]?.stringValue == action }?.objectValue?["params"]?.objectValue
    }

    func stop() async {
        try? await client.shutdown()
        await bridge.stop()
        await upstream?.stop()
    }
}
