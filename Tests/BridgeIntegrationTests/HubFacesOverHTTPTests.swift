import BridgeCore
import BridgeSimulator
import NIOHTTP1
import Testing

/// OneBot 11 and CoolQ bots, unmodified, over real HTTP through the bridge to each simulated upstream.
@Suite(.serialized) struct HubFacesOverHTTPTests {
    /// (face path, method, query or body, content type, the upstream action it must reach).
    static let calls: [(String, HTTPMethod, String, String?, String)] = [
        ("/v11/get_login_info", .GET, "", nil, "get_login_info"),
        ("/v11/send_like", .GET, "user_id=123456789&times=10", nil, "send_like"),
        ("/v11/send_group_msg", .POST, #"{"group_id":"123456","message":"hi [CQ:face,id=1]"}"#, "application/json", "send_group_msg"),
        ("/v11/get_stranger_info", .POST, "user_id=123456789&no_cache=false", "application/x-www-form-urlencoded", "get_stranger_info"),
        ("/v11/get_friend_list", .GET, "", nil, "get_friend_list"),
        ("/v11/set_friend_add_request", .POST, #"{"flag":"f","approve":true,"remark":"r"}"#, "application/json", "set_friend_add_request"),
        ("/v11/get_unidirectional_friend_list", .GET, "", nil, "get_unidirectional_friend_list"),
        ("/v11/delete_friend", .GET, "user_id=123456789", nil, "delete_friend"),
        ("/v11/set_self_longnick", .GET, "long_nick=sig", nil, "set_self_longnick"),
        ("/v11/set_online_status", .GET, "status=10", nil, "set_online_status"),
        ("/v11/friend_poke", .GET, "user_id=123456789", nil, "friend_poke"),
        ("/coolq/get_login_info", .GET, "", nil, "get_login_info"),
        ("/coolq/send_private_msg", .GET, "user_id=123456&message=hello&is_raw=true", nil, "send_private_msg"),
        ("/coolq/send_group_msg", .POST, "group_id=123456&message=hi", "application/x-www-form-urlencoded", "send_group_msg"),
        ("/coolq/set_group_ban", .GET, "group_id=123456&user_id=10001", nil, "set_group_ban"),
        ("/coolq/set_group_leave", .GET, "group_id=123456&is_dismiss=true", nil, "set_group_leave"),
        ("/coolq/get_group_member_info", .GET, "group_id=123456&user_id=3847573", nil, "get_group_member_info"),
        ("/coolq/get_group_member_list", .GET, "group_id=123456", nil, "get_group_member_list"),
        ("/coolq/get_cookies", .GET, "", nil, "get_cookies"),
        ("/coolq/get_csrf_token", .GET, "", nil, "get_csrf_token"),
    ]

    @Test(arguments: SimulatorScenario.dialects)
    func everyFaceCall(dialect: String) async throws {
        let harness = try await BridgeHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        for (path, method, payload, contentType, upstreamAction) in Self.calls {
            let isQuery = contentType == nil
            let target = isQuery && !payload.isEmpty ? "\(path)?\(payload)" : path
            let before = harness.received.count
            let (status, body) = try await harness.request(method, target, body: isQuery ? nil : payload, contentType: contentType)
            let sent = harness.received.dropFirst(before).filter { $0.objectValue?["action"]?.stringValue == upstreamAction }
            if status == 404 {
                // Unknown to this upstream: OB11 and CoolQ both say so with HTTP 404.
                continue
            }
            #expect(status == 200, "\(dialect) \(path): HTTP \(status)")
            let envelope = body.objectValue ?? [:]
            let retcode = envelope["retcode"]?.intValue ?? -1
            if path.hasPrefix("/coolq"), retcode == 102, sent.isEmpty { continue }  // a CoolQ API nothing here serves
            #expect(retcode == 0, "\(dialect) \(path): \(body)")
            guard let params = sent.last?.objectValue?["params"]?.objectValue else {
                Issue.record("\(dialect) \(path): nothing reached the upstream")
                continue
            }
            // Strings from the query or form reach the upstream as JSON numbers.
            for key in ["user_id", "group_id", "times"] where params[key] != nil {
                #expect(params[key]?.intValue != nil, "\(dialect) \(path): \(key) = \(params[key]!)")
            }
        }
    }

    @Test func dialectShapesAndCodes() async throws {
        let icqq = try await BridgeHarness.start(dialect: "icqq")
        _ = try await icqq.request(.GET, "/v11/send_group_msg?group_id=1&message=a%5BCQ:face,id=1%5D")
        #expect(icqq.lastParams(of: "send_group_msg")?["message"]?.arrayValue?.count == 2, "icqq gets arrays")
        _ = try await icqq.request(.GET, "/coolq/send_private_msg?user_id=1&message=%5BCQ:at,qq=all%5D&is_raw=1")
        let plain = icqq.lastParams(of: "send_private_msg")?["message"]?.arrayValue?.first?.objectValue
        #expect(plain?["type"] == "text", "is_raw text is never a CQ code")
        _ = try await icqq.request(.GET, "/v11/set_online_status?status=10")
        #expect(icqq.lastParams(of: "set_online_status")?["status"] == 11)
        let unsupported = try await icqq.request(.GET, "/v11/delete_unidirectional_friend?user_id=1")
        #expect(unsupported.status == 404, "icqq's 1404 is OB11's unknown action")
        await icqq.stop()

        let napcat = try await BridgeHarness.start(dialect: "napcat")
        _ = try await napcat.request(.GET, "/v11/set_self_longnick?long_nick=x")
        #expect(napcat.lastParams(of: "set_self_longnick")?["longNick"] == "x")
        let list = try await napcat.request(.GET, "/v11/get_unidirectional_friend_list")
        let first = list.body.objectValue?["data"]?.arrayValue?.first?.objectValue
        #expect(first?["user_id"]?.intValue != nil && first?["nickname"] != nil && first?["uin"] == nil)
        await napcat.stop()

        let lagrange = try await BridgeHarness.start(dialect: "lagrange")
        _ = try await lagrange.request(.GET, "/v11/set_friend_add_request?flag=f&remark=r")
        #expect(lagrange.lastParams(of: "set_friend_add_request")?["reason"] == "r")
        await lagrange.stop()
    }

    @Test func onebot11WireRules() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat", accessToken: "tok")
        defer { Task { await harness.stop() } }
        let bearer = [("Authorization", "Bearer tok")]
        #expect(try await harness.request(.GET, "/v11/get_login_info").status == 401)
        #expect(try await harness.request(.GET, "/v11/get_login_info", headers: [("Authorization", "Bearer no")]).status == 403)
        #expect(try await harness.request(.GET, "/v11/get_login_info?access_token=tok").status == 200)
        #expect(try await harness.request(.POST, "/v11/send_like", body: "x", contentType: "text/plain", headers: bearer).status == 406)
        #expect(try await harness.request(.POST, "/v11/send_like", body: "{nope", contentType: "application/json", headers: bearer).status == 400)
        #expect(try await harness.request(.GET, "/v11/no_such_action", headers: bearer).status == 404)
        let missing = try await harness.request(.GET, "/v11/send_like", headers: bearer)
        #expect(missing.status == 200 && missing.body.objectValue?["retcode"] == 100)
        let queued = try await harness.request(.GET, "/v11/send_like_async?user_id=7", headers: bearer)
        #expect(queued.body.objectValue?["status"] == "async" && queued.body.objectValue?["retcode"] == 1)
        #expect(try await harness.waitForCall("send_like")?["user_id"] == 7)
        let limited = try await harness.request(.GET, "/v11/send_group_msg_rate_limited?group_id=1&message=x", headers: bearer)
        #expect(limited.body.objectValue?["status"] == "async")
        #expect(try await harness.waitForCall("send_group_msg") != nil)
        let quick = try await harness.request(.POST, "/v11/.handle_quick_operation", body: """
            {"context":{"post_type":"request","request_type":"friend","flag":"abc","user_id":5},"operation":{"approve":true,"remark":"pal"}}
            """, contentType: "application/json", headers: bearer)
        #expect(quick.body.objectValue?["retcode"] == 0)
        #expect(harness.lastParams(of: "set_friend_add_request")?["flag"] == "abc")
    }

    @Test func coolqWireRulesAndRoot() async throws {
        let harness = try await BridgeHarness.start(dialect: "gocqhttp", accessToken: "tok", rootDialect: "coolq")
        defer { Task { await harness.stop() } }
        #expect(try await harness.request(.GET, "/coolq/get_login_info").status == 401)
        #expect(try await harness.request(.GET, "/coolq/get_login_info", headers: [("Authorization", "token nope")]).status == 401)
        for header in ["token tok", "Token tok", "Bearer tok"] {
            #expect(try await harness.request(.GET, "/coolq/get_login_info", headers: [("Authorization", header)]).status == 200)
        }
        let auth = [("Authorization", "token tok")]
        #expect(try await harness.request(.PUT, "/coolq/get_login_info", headers: auth).status == 405)
        #expect(try await harness.request(.GET, "/coolq/no_such_api", headers: auth).status == 404)
        let before = harness.received.count
        let zero = try await harness.request(.GET, "/coolq/send_private_msg?user_id=0&message=x", headers: auth)
        #expect(zero.body.objectValue?["retcode"] == 100 && harness.received.count == before, "refused before the upstream")
        let discuss = try await harness.request(.GET, "/coolq/send_discuss_msg?discuss_id=1&message=x", headers: auth)
        #expect(discuss.status == 200 && discuss.body.objectValue?["retcode"] == 102)
        // An unmodified legacy bot pointed at the bare host.
        let root = try await harness.request(.GET, "/get_login_info", headers: auth)
        #expect(root.status == 200 && root.body.objectValue?["retcode"] == 0)
    }
}
