import BridgeCore

/// The OneBot 11 events a simulated upstream pushes to a bridge, in one dialect's shapes. Pure.
///
/// The script is an endless cycle of realistic events with the seeds' people and group (user 123456789
/// "某人" in group 123456 "一群大笨蛋", bot 2854196310): event number `n` is always the same event, so a
/// run that reconnects goes on where it stopped and message IDs stay unique and increasing.
/// Shapes follow onebot11.md §9 and dialects.md §5 (see `SimulatorEventScript+Messages.swift`).
package struct SimulatorEventScript: Sendable {
    /// One kind of scripted event; a cycle is `steps` in order.
    package enum Step: String, Sendable, CaseIterable {
        case privateMessage, groupMentionsBot, botReplySent, groupArrayMessage
        case groupIncrease, groupRecall, friendAdd, poke, friendRequest

        /// Steps that carry a new `message_id`.
        var isMessage: Bool { [.privateMessage, .groupMentionsBot, .botReplySent, .groupArrayMessage].contains(self) }
    }

    package static let defaultSelfID: Int64 = 2_854_196_310
    /// The seeds' example user ("某人") and group ("一群大笨蛋").
    package static let userID: Int64 = 123_456_789
    package static let groupID: Int64 = 123_456

    package let dialect: String
    package let selfID: Int64
    /// The `interval` a heartbeat announces, in milliseconds (OB11 default 15000).
    package let heartbeatMilliseconds: Int64
    /// The heartbeat's `status`: the same object as `get_status` data (onebot11.md §9.5).
    package let status: JSONValue
    /// One cycle. Only go-cqhttp and icqq report the bot's own messages as `message_sent` (dialects.md §5);
    /// for NapCat and Lagrange that report is configurable or unverified, so their cycle leaves it out.
    package let steps: [Step]

    package init(dialect: String, selfID: Int64 = defaultSelfID, heartbeatMilliseconds: Int64 = 15_000,
                 status: JSONValue = ["online": true, "good": true]) {
        self.dialect = dialect
        self.selfID = selfID
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.status = status
        let reportsSelf = dialect == "gocqhttp" || dialect == "icqq"
        self.steps = Step.allCases.filter { $0 != .botReplySent || reportsSelf }
    }

    /// The script of `scenario`'s dialect, logged in as its `get_login_info` user, beating with its `get_status`.
    package init(scenario: SimulatorScenario, heartbeatMilliseconds: Int64 = 15_000) {
        let status = scenario.reply(action: "get_status", params: [:]).objectValue?["data"]
        self.init(dialect: scenario.dialect, selfID: scenario.selfID, heartbeatMilliseconds: heartbeatMilliseconds,
                  status: status.flatMap { $0.isNull ? nil : $0 } ?? ["online": true, "good": true])
    }

    /// The lifecycle connect meta event, the first frame of every WebSocket connection (§9.5).
    package func lifecycleConnect(now: Int64) -> JSONValue {
        .object(common(now, "meta_event", ["meta_event_type": "lifecycle", "sub_type": "connect"]))
    }

    /// A heartbeat meta event announcing the next beat in `heartbeatMilliseconds`.
    package func heartbeat(now: Int64) -> JSONValue {
        .object(common(now, "meta_event", ["meta_event_type": "heartbeat", "status": status,
                                           "interval": .int(heartbeatMilliseconds)]))
    }

    /// Event number `number` (from 0) of the endless cycle, stamped with `now` (Unix seconds).
    package func event(number: Int, now: Int64) -> JSONValue {
        let cycle = number / steps.count
        let step = steps[number % steps.count]
        switch step {
        case .privateMessage, .groupMentionsBot, .botReplySent, .groupArrayMessage:
            return .object(message(step, sequence: sequence(of: step, cycle: cycle), cycle: cycle, now: now))
        case .groupIncrease:
            // The bot, an admin, approved 某人's application.
            return notice(now, "group_increase", ["sub_type": "approve", "group_id": .int(Self.groupID),
                                                  "operator_id": .int(selfID), "user_id": .int(Self.userID)])
        case .groupRecall:
            // 某人 takes back this cycle's array-form group message.
            return notice(now, "group_recall", ["group_id": .int(Self.groupID), "user_id": .int(Self.userID),
                                                "operator_id": .int(Self.userID),
                                                "message_id": messageID(sequence(of: .groupArrayMessage, cycle: cycle),
                                                                        peer: Self.groupID)])
        case .friendAdd:
            return notice(now, "friend_add", ["user_id": .int(Self.userID)])
        case .poke:
            return notice(now, "notify", ["sub_type": "poke", "group_id": .int(Self.groupID),
                                          "user_id": .int(Self.userID), "target_id": .int(selfID)])
        case .friendRequest:
            // The flag is what set_friend_add_request needs back; unique per event so a bot can tell them apart.
            return .object(common(now, "request", ["request_type": "friend", "user_id": .int(Self.userID),
                                                   "comment": "我是某人", "flag": .string("\(now)\(number)")]))
        }
    }

    /// Lifecycle connect, one full cycle, then one heartbeat: what a short connection sees.
    package func events(now: Int64) -> [JSONValue] {
        [lifecycleConnect(now: now)] + steps.indices.map { event(number: $0, now: now) } + [heartbeat(now: now)]
    }

    /// `events(now:)` of `dialect`'s script for bot `selfID`.
    package static func events(dialect: String, selfID: Int64, now: Int64) -> [JSONValue] {
        SimulatorEventScript(dialect: dialect, selfID: selfID).events(now: now)
    }

    /// The message sequence (from 1) of a message step: increases by one per message across cycles.
    func sequence(of step: Step, cycle: Int) -> Int64 {
        let messages = steps.filter(\.isMessage)
        let position = messages.firstIndex(of: step) ?? 0
        return Int64(cycle * messages.count + position + 1)
    }

    func common(_ now: Int64, _ postType: String, _ fields: JSONObject) -> JSONObject {
        var event: JSONObject = ["time": .int(now), "self_id": .int(selfID), "post_type": .string(postType)]
        for entry in fields.entries { event[entry.key] = entry.value }
        return event
    }

    private func notice(_ now: Int64, _ type: String, _ fields: JSONObject) -> JSONValue {
        var object: JSONObject = ["notice_type": .string(type)]
        for entry in fields.entries { object[entry.key] = entry.value }
        return .object(common(now, "notice", object))
    }
}

extension SimulatorScenario {
    /// The bot's QQ number in this dialect's `get_login_info`.
    package var selfID: Int64 { login.objectValue?["user_id"]?.intValue ?? SimulatorEventScript.defaultSelfID }
}
