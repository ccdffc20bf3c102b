import BridgeCore
import BridgeSimulator
import Testing

/// Every seed action, sent by an OB12 client over real HTTP through the bridge to each simulated upstream.
@Suite(.serialized) struct ActionsOverHTTPTests {
    /// (OB12 action, params, the upstream action it must become).
    static let calls: [(String, JSONValue, String)] = [
        ("get_self_info", [:], "get_login_info"),
        ("get_user_info", ["user_id": "123456789"], "get_stranger_info"),
        ("get_friend_list", [:], "get_friend_list"),
        ("get_group_info", ["group_id": "123456"], "get_group_info"),
        ("get_group_list", [:], "get_group_list"),
        ("get_group_member_info", ["group_id": "123456", "user_id": "3847573"], "get_group_member_info"),
        ("get_group_member_list", ["group_id": "123456"], "get_group_member_list"),
        ("set_group_name", ["group_id": "2452352435", "group_name": "一个非常普通的群名"], "set_group_name"),
        ("leave_group", ["group_id": "2452352435"], "set_group_leave"),
        ("send_message", ["detail_type": "private", "user_id": "123456", "message": "hello"], "send_private_msg"),
        ("send_message", ["detail_type": "group", "group_id": "123456",
                          "message": [["type": "mention", "data": ["user_id": "10001"]]]], "send_group_msg"),
        ("delete_message", ["message_id": "123"], "delete_msg"),
        ("get_status", [:], "get_status"),
        ("send_user_like", ["user_id": "123456", "times": 10], "send_like"),
        ("set_group_kick", ["group_id": "123456", "user_id": "123456", "reject_add_request": false], "set_group_kick"),
        ("set_essence_message", ["group_id": "123456", "message_id": "123456"], "set_essence_msg"),
        ("delete_essence_message", ["group_id": "123456", "message_id": "123456"], "delete_essence_msg"),
        ("set_group_ban", ["group_id": "123456", "user_id": "123456", "duration": 60], "set_group_ban"),
        ("set_group_whole_ban", ["group_id": "123456", "enable": true], "set_group_whole_ban"),
        ("set_group_admin", ["group_id": "123456", "user_id": "123456", "enable": true], "set_group_admin"),
        ("set_group_anonymous_ban", ["group_id": "123456", "anonymous_flag": "f", "duration": 60], "set_group_anonymous_ban"),
        ("set_group_card", ["group_id": "123456", "user_id": "123456", "card": "大笨蛋"], "set_group_card"),
        ("set_group_leave", ["group_id": "123456"], "set_group_leave"),
        ("set_group_special_title", ["group_id": "123456", "user_id": "123456", "special_title": "大笨蛋", "duration": 60],
         "set_group_special_title"),
        ("send_group_sign", ["group_id": "123456"], "send_group_sign"),
        ("get_guild_list", [:], "get_guild_list"),
        ("qq.set_friend_add_request", ["flag": "请求标识", "approve": true, "remark": "好友的备注"], "set_friend_add_request"),
        ("qq.get_stranger_info", ["user_id": "123456789"], "get_stranger_info"),
        ("get_unidirectional_friend_list", [:], "get_unidirectional_friend_list"),
        ("qq.delete_friend", ["user_id": "123456789"], "delete_friend"),
        ("qq.set_friend_remark", ["user_id": "123456789", "remark": "新的备注"], "set_friend_remark"),
        ("qq.get_friends_with_category", [:], "get_friends_with_category"),
        ("qq.friend_poke", ["user_id": "123456789"], "friend_poke"),
        ("qq.set_qq_profile", ["nickname": "新昵称", "personal_note": "新说明"], "set_qq_profile"),
        ("qq.set_qq_avatar", ["file": "/path/to/avatar.png"], "set_qq_avatar"),
        ("qq.set_self_longnick", ["long_nick": "这是我的个性签名"], "set_self_longnick"),
        ("qq.set_online_status", ["status": 10], "set_online_status"),
        ("qq.get_roaming_stamp", [:], "get_roaming_stamp"),
        ("qq.get_robot_uin_range", [:], "get_robot_uin_range"),
        ("qq.translate_en2zh", ["words": ["hello"]], "translate_en2zh"),
        ("qq.get_recent_contact", ["count": 10], "get_recent_contact"),
    ]

    static let idKeys: Set<String> = ["user_id", "group_id", "message_id"]

    @Test(arguments: SimulatorScenario.dialects)
    func everySeedAction(dialect: String) async throws {
        let harness = try await BridgeHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        for (action, params, upstreamAction) in Self.calls {
            let before = harness.received.count
            let reply = try await harness.call(action, params, echo: "echo-\(action)")
            // Every answer is a complete OB12 envelope with the echo given back.
            #expect(reply["status"]?.stringValue == "ok" || reply["status"]?.stringValue == "failed", "\(action)")
            #expect(reply["message"]?.stringValue != nil && reply["data"] != nil, "\(dialect) \(action)")
            #expect(reply["echo"] == .string("echo-\(action)"), "\(action)")
            let retcode = reply["retcode"]?.intValue ?? -1
            let sent = harness.received.dropFirst(before).filter {
                // The bridge's own identity check at start may land here; it is not this call.
                upstreamAction == "get_login_info" || $0.objectValue?["action"]?.stringValue != "get_login_info"
            }
            if retcode == 10002 {
                // Unsupported: either refused locally (nothing sent) or refused by the upstream itself.
                #expect(sent.allSatisfy { $0.objectValue?["action"]?.stringValue == upstreamAction }, "\(dialect) \(action)")
                continue
            }
            #expect(retcode == 0, "\(dialect) \(action): \(reply)")
            guard let call = sent.last?.objectValue else {
                Issue.record("\(dialect) \(action): nothing reached the upstream")
                continue
            }
            #expect(call["action"]?.stringValue == upstreamAction, "\(dialect) \(action)")
            // IDs reach an OB11 upstream as JSON numbers (icqq's message IDs are strings by design).
            for entry in call["params"]?.objectValue?.entries ?? [] where Self.idKeys.contains(entry.key) {
                if dialect == "icqq", entry.key == "message_id" { continue }
                #expect(entry.value.intValue != nil, "\(dialect) \(action): \(entry.key) sent as \(entry.value)")
            }
        }
    }

    @Test func dialectParamNamesReachTheUpstream() async throws {
        let expectations: [(dialect: String, action: String, params: JSONValue, key: String)] = [
            ("napcat", "qq.set_self_longnick", ["long_nick": "签名"], "longNick"),
            ("icqq", "qq.set_self_longnick", ["long_nick": "签名"], "long_nick"),
            ("lagrange", "qq.set_friend_add_request", ["flag": "f", "remark": "r"], "reason"),
            ("napcat", "qq.delete_friend", ["user_id": "1", "block": true], "temp_block"),
        ]
        for row in expectations {
            let harness = try await BridgeHarness.start(dialect: row.dialect)
            let reply = try await harness.call(row.action, row.params)
            #expect(reply["retcode"] == 0, "\(row.dialect) \(row.action): \(reply)")
            let upstreamAction = String(row.action.dropFirst(3))
            #expect(harness.lastParams(of: upstreamAction)?[row.key] != nil, "\(row.dialect) \(row.key)")
            await harness.stop()
        }
    }

    @Test func icqqStatusCodesAreTranslated() async throws {
        let harness = try await BridgeHarness.start(dialect: "icqq")
        defer { Task { await harness.stop() } }
        _ = try await harness.call("qq.set_online_status", ["status": 10])
        #expect(harness.lastParams(of: "set_online_status")?["status"] == 11)
    }
}
