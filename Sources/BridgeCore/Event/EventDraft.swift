/// An event on its way through the rows: the object, its discriminators, and the targets the current row
/// chose (nil: keep the event's own).
package struct EventDraft: Sendable {
    package var object: JSONObject
    /// The OB11 discriminators as they stand in `object`.
    package var key: EventKey
    package var type: String?
    package var detailType: String?
    package var subType: String?

    package init(object: JSONObject) {
        self.object = object
        self.key = EventKey(event: object)
    }

    /// Writes the chosen targets back as OB11 discriminators (`post_type`, its `<x>_type` field, `sub_type`;
    /// an empty level is removed), then re-reads `key`, since row operations may have renamed them too.
    package mutating func writeOneBot11Discriminators() {
        if type != nil || detailType != nil || subType != nil {
            let post = type ?? key.postType
            let detail = detailType ?? key.detailType
            let sub = subType ?? key.subType
            let oldField = EventKey.detailField(for: key.postType)
            let newField = EventKey.detailField(for: post)
            object["post_type"] = .string(post)
            if oldField != newField { object.removeValue(forKey: oldField) }
            if detail.isEmpty { object.removeValue(forKey: newField) } else { object[newField] = .string(detail) }
            if sub.isEmpty { object.removeValue(forKey: "sub_type") } else { object["sub_type"] = .string(sub) }
            type = nil
            detailType = nil
            subType = nil
        }
        key = EventKey(event: object)
    }

    /// The OB12 event (onebot12.md §4.3): `id`, float `time`, `type`, `detail_type`, `sub_type`, and `self`
    /// except on meta events, then every other field in arrival order. The OB11 discriminators and `self_id`
    /// are consumed; an upstream field with an envelope name is replaced by the envelope's value. Takes the
    /// draft and moves its fields, so ID conversion afterwards changes them without copying.
    package consuming func oneBot12Object(context: EventContext) -> JSONObject {
        let type = self.type ?? key.postType
        var output = JSONObject(minimumCapacity: object.count + 3)
        output.appendUnique("id", .string(context.makeID()))
        output.appendUnique("time", Self.seconds(object["time"]) ?? .double(context.now))
        output.appendUnique("type", .string(type))
        output.appendUnique("detail_type", .string(detailType ?? key.detailType))
        output.appendUnique("sub_type", .string(subType ?? key.subType))
        if type != "meta" {
            let user = object["self_id"].flatMap { ValueType.string.converted($0)?.stringValue } ?? context.selfID ?? ""
            output.appendUnique("self", .object(JSONObject([.init(key: "platform", value: .string(context.platform)),
                                                            .init(key: "user_id", value: .string(user))])))
        }
        let detailField = EventKey.detailField(for: key.postType)
        for index in object.entries.indices {
            let key = object.entries[index].key
            if !Self.isEnvelopeKey(key) && key != detailField { output.appendUnique(key, object.takeValue(at: index)) }
        }
        return output
    }

    /// Converts `message` of message events to `format` with CQ code, for OB11 and CoolQ clients.
    package mutating func convertMessage(to format: MessageFormat) {
        guard key.postType == "message" || key.postType == "message_sent", let message = object["message"] else {
            return
        }
        switch (format, message) {
        case (.array, .string(let text)): object["message"] = .array(CQCode.segments(from: text))
        case (.array, .object): object["message"] = .array([message])
        case (.string, .array(let segments)): object["message"] = .string(CQCode.string(from: segments))
        case (.string, .object): object["message"] = .string(CQCode.string(from: [message]))
        default: return
        }
    }

    /// `post_type`, `sub_type`, `self_id`, `time`, `id`, `type`, `detail_type` or `self`: the keys the OB12
    /// envelope consumes or writes. By length first, not a `Set`: hashing every key of every event cost more
    /// than comparing the one or two names of its length.
    static func isEnvelopeKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { isEnvelopeKey($0) }
    }

    /// The same, for a key's UTF-8 bytes (the streamed event path).
    static func isEnvelopeKey(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        func equals(_ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && memoryEqual(key.baseAddress!, name.utf8Start, key.count)
        }
        switch key.count {
        case 2: return equals("id")
        case 4: return equals("time") || equals("type") || equals("self")
        case 7: return equals("self_id")
        case 8: return equals("sub_type")
        case 9: return equals("post_type")
        case 11: return equals("detail_type")
        default: return false
        }
    }

    /// OB11 integer seconds widen to OB12's float (v11-v12-mapping.md §2); a numeric string is read too.
    static func seconds(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .int(let seconds)?: .double(Double(seconds))
        case .double?: value
        case .string(let text)?: Double(text).map(JSONValue.double)
        default: nil
        }
    }
}
