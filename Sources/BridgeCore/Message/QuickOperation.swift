/// OB11 quick operations (onebot11.md §9.2, §9.4, §7.3): an event plus an operation object become the
/// hub actions that carry them out. Pure; the caller runs the actions.
package enum QuickOperation {
    /// The actions for `operation` on `event`, in the order OB11 servers run them (reply first).
    ///
    /// Throws `badParamType` when `context` is not an event the operation applies to.
    package static func actions(event: JSONObject, operation: JSONObject) throws(TranslationError) -> [ActionRequest] {
        let name = ".handle_quick_operation"
        switch event["post_type"]?.stringValue {
        case "message", "message_sent":
            return try messageActions(event: event, operation: operation)
        case "request":
            guard let flag = event["flag"], operation["approve"] != nil else { return [] }
            var params: JSONObject = JSONObject([.init(key: "flag", value: flag)])
            params["approve"] = operation["approve"]
            if event["request_type"]?.stringValue == "group" {
                params["sub_type"] = event["sub_type"]
                params["reason"] = operation["reason"]
                return [ActionRequest(action: "set_group_add_request", params: params)]
            }
            params["remark"] = operation["remark"]
            return [ActionRequest(action: "set_friend_add_request", params: params)]
        default:
            throw .badParamType(action: name, name: "context", expected: "a message or request event",
                                got: event["post_type"]?.stringValue.map { "post_type '\($0)'" } ?? "no post_type")
        }
    }

    private static func messageActions(event: JSONObject, operation: JSONObject) throws(TranslationError)
        -> [ActionRequest]
    {
        var actions: [ActionRequest] = []
        let isGroup = event["message_type"]?.stringValue == "group"
        let isAnonymous = event["anonymous"].map { !$0.isNull } ?? false
        if let reply = operation["reply"], !reply.isNull {
            var segments = messageSegments(reply, isPlain: flag(operation["auto_escape"], default: false))
            // Group replies @ the sender unless at_sender is false (it cannot @ an anonymous sender).
            if isGroup, !isAnonymous, flag(operation["at_sender"], default: true), let sender = event["user_id"] {
                let mention: JSONValue = ["type": "at", "data": ["qq": ValueType.string.converted(sender) ?? sender]]
                segments.insert(contentsOf: [mention, CQCode.textSegment(" ")], at: 0)
            }
            var params: JSONObject = ["message_type": isGroup ? "group" : "private", "message": .array(segments)]
            params[isGroup ? "group_id" : "user_id"] = isGroup ? event["group_id"] : event["user_id"]
            actions.append(ActionRequest(action: "send_msg", params: params))
        }
        guard isGroup, let groupID = event["group_id"] else { return actions }
        if flag(operation["delete"], default: false), let messageID = event["message_id"] {
            actions.append(ActionRequest(action: "delete_msg", params: ["message_id": messageID]))
        }
        if flag(operation["kick"], default: false), !isAnonymous, let userID = event["user_id"] {
            actions.append(ActionRequest(action: "set_group_kick", params: ["group_id": groupID, "user_id": userID]))
        }
        if flag(operation["ban"], default: false) {
            let duration = operation["ban_duration"] ?? .int(1800)
            if isAnonymous, let anonymous = event["anonymous"] {
                actions.append(ActionRequest(action: "set_group_anonymous_ban",
                                             params: ["group_id": groupID, "anonymous": anonymous, "duration": duration]))
            } else if let userID = event["user_id"] {
                actions.append(ActionRequest(action: "set_group_ban",
                                             params: ["group_id": groupID, "user_id": userID, "duration": duration]))
            }
        }
        return actions
    }

    private static func messageSegments(_ message: JSONValue, isPlain: Bool) -> [JSONValue] {
        switch message {
        case .string(let text): isPlain ? [CQCode.textSegment(text)] : CQCode.segments(from: text)
        case .array(let segments): segments
        case .object: [message]
        default: [CQCode.textSegment(ValueType.string.converted(message)?.stringValue ?? "")]
        }
    }

    private static func flag(_ value: JSONValue?, default fallback: Bool) -> Bool {
        value.flatMap { ValueType.bool.converted($0)?.boolValue } ?? fallback
    }
}

extension JSONValue {
    /// The boolean payload, or nil for any other case.
    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
