import BridgeCore
import Foundation

/// Message events per dialect (onebot11.md §9.2, §10; dialects.md §5).
extension SimulatorEventScript {
    /// icqq sends a CQ string as literal text and never produces one (dialects.md §5), so its messages are
    /// always arrays; the others mix both forms, as a bridge must accept either.
    var arraysOnly: Bool { dialect == "icqq" }

    /// The `message_id` of message number `sequence`: int32 on NapCat, Lagrange and go-cqhttp; on icqq a
    /// base64url string. icqq's bytes are not documented, so peer + sequence + a scramble stands in for them;
    /// what matters to a bridge is that it is an opaque string it must hand back unchanged.
    func messageID(_ sequence: Int64, peer: Int64) -> JSONValue {
        guard arraysOnly else { return .int(1_000_000 + sequence) }
        var bytes: [UInt8] = []
        for word in [UInt32(truncatingIfNeeded: peer), UInt32(truncatingIfNeeded: sequence),
                     UInt32(truncatingIfNeeded: sequence &* 2_654_435_761)] {
            bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) }
        }
        let base64 = Data(bytes).base64EncodedString()
        return .string(base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
    }

    /// The message event of a message step; `sequence` numbers it, `cycle` finds the message it replies to.
    func message(_ step: Step, sequence: Int64, cycle: Int, now: Int64) -> JSONObject {
        let inGroup = step != .privateMessage
        let peer = inGroup ? Self.groupID : Self.userID
        let author = step == .botReplySent ? selfID : Self.userID
        var message: JSONValue
        switch step {
        case .privateMessage: message = "hello [CQ:face,id=1]"
        case .groupMentionsBot: message = .string("[CQ:at,qq=\(selfID)] 在吗？")
        case .botReplySent: message = "收到"
        default:
            let replied = messageID(self.sequence(of: .groupMentionsBot, cycle: cycle), peer: Self.groupID)
            message = .array([
                segment("reply", ["id": .string(replied.stringValue ?? replied.jsonText)]),
                segment("at", ["qq": "all"]),
                segment("text", ["text": " 看这个 "]),
                segment("image", ["file": "e9a4c5b3f1d2a0b7.image",
                                  "url": "https://gchat.qpic.cn/gchatpic_new/123456789/123456-0-E9A4C5B3F1D2A0B7/0?term=2&is_origin=0"]),
                segment("face", ["id": "178"]),
            ])
        }
        if arraysOnly, case .string(let text) = message { message = .array(CQCode.segments(from: text)) }
        let segments = message.arrayValue ?? CQCode.segments(from: message.stringValue ?? "")

        var fields: JSONObject = ["message_type": inGroup ? "group" : "private", "sub_type": inGroup ? "normal" : "friend",
                                  "message_id": messageID(sequence, peer: peer)]
        if inGroup { fields["group_id"] = .int(Self.groupID) }
        fields["user_id"] = .int(author)
        if inGroup { fields["anonymous"] = .null }
        fields["message"] = message
        fields["raw_message"] = .string(rawMessage(message, segments: segments))
        fields["font"] = 0
        fields["sender"] = sender(author, inGroup: inGroup)
        switch dialect {
        case "napcat":
            // NapCat says which form it chose (fixture "private message, array form from NapCat").
            fields["message_format"] = message.arrayValue == nil ? "string" : "array"
        case "gocqhttp" where !inGroup:
            fields["target_id"] = .int(selfID)
        case "icqq":
            // Every icqq message carries message_seq and target_id (= group_id in groups), dialects.md §5.
            fields["message_seq"] = .int(sequence)
            fields["target_id"] = .int(inGroup ? Self.groupID : selfID)
        default: break
        }
        return common(now, step == .botReplySent ? "message_sent" : "message", fields)
    }

    /// CQ string everywhere, but icqq's holds only the text of text segments (dialects.md §5).
    private func rawMessage(_ message: JSONValue, segments: [JSONValue]) -> String {
        if arraysOnly {
            return segments.compactMap { segment -> String? in
                guard segment.objectValue?["type"]?.stringValue == "text" else { return nil }
                return segment.objectValue?["data"]?.objectValue?["text"]?.stringValue
            }.joined()
        }
        return message.stringValue ?? CQCode.string(from: segments)
    }

    /// `sender` per onebot11.md §9.2: private gives user_id, nickname, sex, age; groups add card … title.
    private func sender(_ user: Int64, inGroup: Bool) -> JSONValue {
        var sender: JSONObject = ["user_id": .int(user), "nickname": user == selfID ? "我是大笨蛋" : "某人",
                                  "sex": "unknown", "age": 0]
        if user == Self.userID { sender["sex"] = "male"; sender["age"] = 20 }
        if inGroup {
            for entry in (["card": "", "area": "", "level": "", "role": "admin", "title": ""] as JSONObject).entries {
                sender[entry.key] = entry.value
            }
        }
        return .object(sender)
    }

    private func segment(_ type: String, _ data: JSONObject) -> JSONValue {
        ["type": .string(type), "data": .object(data)]
    }
}
