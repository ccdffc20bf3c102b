import BridgeCore
import BridgeRuntime
import Hummingbird
import Testing

/// Bad input and bad upstreams: a prompt OB12 failure every time, and the bridge keeps serving.
@Suite(.serialized) struct FailureTests {
    @Test func badRequestsGetOB12Failures() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat", accessToken: "secret")
        defer { Task { await harness.stop() } }
        let auth = [("Content-Type", "application/json"), ("Authorization", "Bearer secret")]
        #expect(try await harness.post("{}", headers: [("Content-Type", "application/json")]).status == 401)
        #expect(try await harness.post("{}", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer nope")]).status == 401)
        #expect(try await harness.post("{}", path: "/v12?access_token=secret").status == 200)
        #expect(try await harness.post("x", headers: [("Content-Type", "text/plain"), ("Authorization", "Bearer secret")]).status == 415)
        let malformed = try await harness.post("{\"action\":", headers: auth)
        #expect(malformed.status == 200 && malformed.body.objectValue?["retcode"] == 10001)
        let noParams = try await harness.post("{\"action\":\"get_self_info\"}", headers: auth)
        #expect(noParams.body.objectValue?["retcode"] == 10001)
        let badID = try await harness.post("{\"action\":\"get_user_info\",\"params\":{\"user_id\":\"abc\"},\"echo\":\"7\"}", headers: auth)
        #expect(badID.body.objectValue?["retcode"] == 10003 && badID.body.objectValue?["echo"] == "7")
        // Still serving after all of that.
        let ok = try await harness.post("{\"action\":\"get_self_info\",\"params\":{}}", headers: auth)
        #expect(ok.body.objectValue?["retcode"] == 0)
    }

    @Test func upstreamDownIsANetworkError() async throws {
        var configuration = BridgeConfiguration()
        configuration.upstreamURL = "http://127.0.0.1:1"  // nothing listens on port 1
        let harness = try await BridgeHarness.start(configuration: configuration)
        defer { Task { await harness.stop() } }
        let reply = try await harness.call("get_self_info")
        #expect(reply["retcode"] == 33001 && reply["status"] == "failed")
    }

    @Test func slowAndGarbageUpstreams() async throws {
        let router = Router()
        router.post("get_login_info") { _, _ in
            try await Task.sleep(for: .seconds(5))
            return "late"
        }
        router.post("get_status") { _, _ in "this is not json" }
        let upstream = try await RunningServer.start { onRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                        onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: BridgeHarness.logger)
        }
        var configuration = BridgeConfiguration()
        configuration.upstreamURL = "http://127.0.0.1:\(upstream.port)"
        configuration.upstreamTimeoutMilliseconds = 300
        let harness = try await BridgeHarness.start(configuration: configuration, upstream: upstream)
        defer { Task { await harness.stop() } }
        let slow = try await harness.call("get_self_info")
        #expect(slow["retcode"] == 33002)
        let garbage = try await harness.call("get_status")
        #expect(garbage["retcode"] == 20001)
    }
}
