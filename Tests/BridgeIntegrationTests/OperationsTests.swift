import BridgeCore
import BridgeRuntime
import BridgeSimulator
import BridgeTransport
import NIOHTTP1
import Foundation
import Testing

/// Sidecar operations: probes, metrics, auto-detect, reload, secure defaults.
@Suite(.serialized) struct OperationsTests {
    @Test(arguments: SimulatorScenario.dialects)
    func autoDetectNamesTheUpstream(dialect: String) async throws {
        let harness = try await BridgeHarness.start(dialect: dialect, configuredDialect: "auto")
        defer { Task { await harness.stop() } }
        #expect(await harness.controller.detectUpstream())
        #expect(harness.controller.upstreamDialect == dialect)
        // And it serves in that dialect: NapCat's uin/nick_name are normalised only when detected.
        let reply = try await harness.call("get_self_info")
        #expect(reply["retcode"] == 0)
    }

    @Test func probesAndMetrics() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        #expect(try await harness.request(.GET, "/healthz").status == 200)
        #expect(try await harness.request(.GET, "/readyz").status == 200)
        _ = try await harness.call("get_self_info")
        _ = try await harness.call("get_self_info")
        _ = try await harness.call("qq.some_future_action")
        let metrics = try await harness.request(.GET, "/metrics")
        #expect(metrics.status == 200)
        let text = String(decoding: harness.controller.metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"onebot_bridge_requests_total{dialect="onebot12",action="get_self_info",retcode="0"} 2"#), "\(text)")
        #expect(text.contains("onebot_bridge_unmapped_actions_total 1"))
        #expect(text.contains("onebot_bridge_upstream_latency_seconds_count"))
        #expect(text.contains("onebot_bridge_upstream_up 1"))
    }

    @Test func notReadyWhenTheUpstreamIsDown() async throws {
        var configuration = BridgeConfiguration()
        configuration.upstreamURL = "http://127.0.0.1:1"
        configuration.upstreamDialect = "napcat"
        let harness = try await BridgeHarness.start(configuration: configuration)
        defer { Task { await harness.stop() } }
        #expect(try await harness.request(.GET, "/healthz").status == 200)
        #expect(try await harness.request(.GET, "/readyz").status == 503)
    }

    @Test func brokenTablesOnReloadKeepTheOldPlan() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("mappings")
        for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(at: shipped.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let flags = ["mappings": folder.path, "upstream_dialect": "napcat",
                     "upstream_url": harness.controller.configuration.upstreamURL]
        let source = ConfigurationSource(file: nil, environment: [:], flags: flags)
        #expect(harness.controller.reload(from: source))
        try "colour: blue\n".write(to: folder.appendingPathComponent("zz-broken.yaml"), atomically: true, encoding: .utf8)
        #expect(!harness.controller.reload(from: source))
        #expect(try await harness.call("qq.set_self_longnick", ["long_nick": "x"])["retcode"] == 0)
        #expect(harness.lastParams(of: "set_self_longnick")?["longNick"] == "x", "the old NapCat plan still serves")
        let text = String(decoding: harness.controller.metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"onebot_bridge_mapping_reloads_total{result="rejected"} 1"#))
    }

    @Test func secureByDefaultAndPrecedence() throws {
        #expect(throws: ConfigurationError.self) {
            try BridgeConfiguration.load(file: nil, environment: [:], flags: ["listen": "0.0.0.0:8080"])
        }
        let open = try BridgeConfiguration.load(file: nil, environment: ["ONEBOT_BRIDGE_ACCESS_TOKEN": "t"],
                                                flags: ["listen": "0.0.0.0:8080"])
        #expect(open.accessToken == "t")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bridge-\(UUID().uuidString).yaml")
        try "upstream_dialect: lagrange\nupstream_timeout_ms: 5\nlog_level: debug\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let merged = try BridgeConfiguration.load(file: file.path,
                                                  environment: ["ONEBOT_BRIDGE_UPSTREAM_TIMEOUT_MS": "7", "ONEBOT_BRIDGE_LOG_LEVEL": "warning"],
                                                  flags: ["log_level": "error"])
        #expect(merged.upstreamDialect == "lagrange" && merged.upstreamTimeoutMilliseconds == 7 && merged.logLevel == "error")
        #expect(throws: ConfigurationError.self) {
            try BridgeConfiguration.load(file: nil, environment: [:], flags: ["upstream_timeout_ms": "soon"])
        }
    }
}
