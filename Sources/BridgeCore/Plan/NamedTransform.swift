/// Small engine steps that a table cannot say with field operations; tables name them under `transforms:`.
///
/// Each is documented in `mappings/README.md`.
package enum NamedTransform: String, Sendable, CaseIterable {
    /// Response: sets `time` to the bridge clock (OB11 send replies carry no time; OB12 requires one).
    case stampTime = "stamp_time"
    /// Response: turns OB11 `get_status` data `{online, good}` into OB12 `{good, bots:[{self, online}]}`.
    case statusBots = "status_bots"
    /// Request: converts the `message` param into the upstream's segment array via the `segments` table.
    case messageSegments = "message_segments"
    /// Request: a CQ-string `message` becomes array segments (plain text when `auto_escape` is true),
    /// and `auto_escape` is dropped. For servers that do not parse CQ codes (icqq-rust-onebot).
    case cqToArray = "cq_to_array"

    package func apply(to object: inout JSONObject, scope: TransformScope) throws(TranslationError) {
        switch self {
        case .stampTime:
            object["time"] = .double(scope.context.now)
        case .statusBots where !scope.context.bots.isEmpty:
            // Several accounts (OB12 §4.4): list each with its own state.
            object.removeValue(forKey: "online")
            if object["good"] == nil { object["good"] = .bool(true) }
            object["bots"] = .array(scope.context.bots.map { bot in
                ["self": ["platform": "qq", "user_id": .string(bot.selfID)], "online": .bool(bot.online)]
            })
        case .statusBots:
            var bot = JSONObject(minimumCapacity: 2)
            var identity = JSONObject(minimumCapacity: 2)
            identity.appendUnique("platform", "qq")
            identity.appendUnique("user_id", .string(scope.context.selfID ?? ""))
            bot.appendUnique("self", .object(identity))
            let online = object.removeValue(forKey: "online") ?? .bool(false)
            bot.appendUnique("online", online.isNull ? .bool(false) : online)
            if object["good"] == nil { object["good"] = .bool(true) }
            object["bots"] = .array([.object(bot)])
        case .messageSegments:
            guard let position = object.index(of: "message") else { return }
            guard let table = scope.segments else {
                preconditionFailure("the compiler only allows message_segments in tables that define segments")
            }
            // Taken out, so the segments are converted in place; a failure fails the whole request.
            let message = object.takeValue(at: position)
            object.setValue(try table.converted(message: message), at: position)
        case .cqToArray:
            let isPlain = object.removeValue(forKey: "auto_escape").flatMap { ValueType.bool.converted($0) } == .bool(true)
            guard case .string(let text)? = object["message"] else { return }
            object["message"] = .array(isPlain ? [CQCode.textSegment(text)] : CQCode.segments(from: text))
        }
    }
}
