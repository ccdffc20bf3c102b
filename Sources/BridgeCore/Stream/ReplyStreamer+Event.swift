extension EventTranslator {
    /// The OB12 form of an upstream event, written from the event's bytes; nil when it must go through
    /// `translated(_:context:)`.
    ///
    /// Only what the rows read becomes a value: the discriminators, `time`, `self_id`, template fields and segment
    /// `match` values. Every other member is copied as the upstream wrote it, renamed, defaulted or dropped by
    /// the row's operations, with integer IDs quoted at any depth; `message` is converted segment by segment by
    /// the `inbound_segments` rules. It takes OB12-style plans and rows whose operations stream and whose
    /// transforms are `inbound_segments` and `alt_message`; an upstream row, a meta event, a value it would have
    /// to read otherwise, or anything the reader refuses (`ReplyStreamer`) hands the event back. The same event
    /// as `translated` gives apart from string escapes and number spellings, checked on every golden event
    /// (`StreamedEventTests`). Pure.
    package func streamedEvent(_ event: UnsafeRawBufferPointer, context: EventContext) -> [UInt8]? {
        streamedEvent(event, context: context) { Array($0) }
    }

    /// The same, lent to `body`: for a caller that copies the bytes on anyway (into a socket's buffer).
    package func streamedEvent<R>(_ event: UnsafeRawBufferPointer, context: EventContext,
                                  _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard plan.eventStyle == .onebot12, let base = event.baseAddress, !event.isEmpty else { return nil }
        var reader = ReplyStreamer(bytes: base.assumingMemoryBound(to: UInt8.self), count: event.count,
                                   first: box.noOps, second: box.noOps, idFields: box.streamIDFields)
        do throws(StreamBail) {
            try reader.writeEvent(box, context: context)
        } catch {
            return nil
        }
        return reader.output.withBytes(body)
    }
}

extension ReplyStreamer {
    /// Reads the event's members, applies its row, and writes the OB12 envelope and then the members.
    mutating func writeEvent(_ translator: EventTranslator.Box, context: EventContext) throws(StreamBail) {
        skipWhitespace()
        guard index < count, bytes[index] == UInt8(ascii: "{") else { throw StreamBail() }
        if members.capacity == 0 { members.reserveCapacity(24) }
        // `message` is only measured here: the segment pass (or the parser, when it falls back) reads it whole,
        // so it is read once, not twice. It is checked later if neither does.
        var unchecked = try readMembers(base: 0, measuring: "message")
        skipWhitespace()
        guard index == count else { throw StreamBail() }

        // The discriminators as the event arrived.
        guard let post = try discriminator("post_type"), !post.isEmpty else { throw StreamBail() }
        let detailField = EventKey.detailField(for: post)
        let key = EventKey(postType: post, detailType: try discriminator(detailField) ?? "",
                           subType: try discriminator("sub_type") ?? "")
        guard translator.plan.upstreamEvents.rule(for: key) == nil else { throw StreamBail() }
        var targets: (type: String?, detailType: String?, subType: String?) = (nil, nil, nil)
        var transforms: [EventTransform] = []
        if let rule = translator.plan.clientEvents.rule(for: key) {
            guard let ops = rule.ops.streamed,
                rule.transforms.isEmpty || rule.transforms == [.inboundSegments]
                    || rule.transforms == [.inboundSegments, .altMessage]
            else { throw StreamBail() }
            if rule.hasTargets { targets = EventTranslator.targets(of: rule, for: try templateFields(of: rule)) }
            try apply(ops, from: 0)
            transforms = rule.transforms
        }
        let type = targets.type ?? key.postType
        // Meta events have no `self` and are rare: the tree path writes them.
        guard type != "meta" else { throw StreamBail() }

        // `message` becomes the client's segments and `alt_message` their text, as the tree path makes them. The
        // segments are written in place; only when an `alt_message` member comes before `message` (no OB11 server
        // sends one) is the message converted first, aside.
        let wantsAlt = transforms.contains(.altMessage)
        var messagePosition: Int?
        if !transforms.isEmpty {
            guard translator.scope.inboundSegments != nil else { throw StreamBail() }
            messagePosition = position(of: "message")
            if let messagePosition, case .raw(let range, _) = members[messagePosition].value, range == unchecked {
                unchecked = nil
            }
        }
        if let unchecked { try checkInEvent(unchecked) }
        let altPosition = wantsAlt ? position(of: "alt_message") : nil
        var altMessage: [UInt8]? = wantsAlt && messagePosition == nil ? Array(#""""#.utf8) : nil
        var aside: [UInt8]?
        if let messagePosition, let altPosition, altPosition < messagePosition {
            let mark = output.count
            altMessage = try writeMessage(at: messagePosition, translator, wantsAlt: true)
            aside = output.bytes(from: mark)
            output.truncate(to: mark)
        }

        output.append(#"{"id":"#)
        JSONValue.writeString(context.makeID(), to: &output)
        output.append(#","time":"#)
        let time = try position(of: "time").map { position throws(StreamBail) in try value(at: position) }
        (EventDraft.seconds(time) ?? .double(context.now)).write(to: &output, sortedKeys: false)
        output.append(#","type":"#)
        JSONValue.writeString(type, to: &output)
        output.append(#","detail_type":"#)
        JSONValue.writeString(targets.detailType ?? key.detailType, to: &output)
        output.append(#","sub_type":"#)
        JSONValue.writeString(targets.subType ?? key.subType, to: &output)
        output.append(#","self":{"platform":"#)
        JSONValue.writeString(context.platform, to: &output)
        output.append(#","user_id":"#)
        let selfID = try position(of: "self_id").map { position throws(StreamBail) in try value(at: position) }
        JSONValue.writeString(selfID.flatMap { ValueType.string.converted($0)?.stringValue } ?? context.selfID ?? "",
                              to: &output)
        output.append(UInt8(ascii: "}"))

        // Keys are unique (a repeated one gives up, renames replace), so one position each.
        let detailPosition = position(ofName: detailField)
        for position in members.indices where position != detailPosition {
            let name = keyBytes(at: position)
            if EventDraft.isEnvelopeKey(name) { continue }
            output.append(UInt8(ascii: ","))
            if position == altPosition, let altMessage {
                writeKey(name)
                put(altMessage)
            } else if position == messagePosition {
                writeKey(name)
                if let aside { put(aside) } else { altMessage = try writeMessage(at: position, translator, wantsAlt: wantsAlt) }
            } else {
                try write(members[position])
            }
        }
        if let altMessage, altPosition == nil {
            output.append(#","alt_message":"#)
            put(altMessage)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Writes `message` converted by the segment table, and returns its `alt_message` (JSON text) when asked. An
    /// array whose segments all stream, or CQ code the bytes can be read as, is converted where it stands;
    /// anything else (a segment type whose rule reads values, a repeated CQ parameter, a malformed segment)
    /// goes through the table's own conversion of a parsed value.
    private mutating func writeMessage(at position: Int, _ translator: EventTranslator.Box, wantsAlt: Bool)
        throws(StreamBail) -> [UInt8]?
    {
        guard let table = translator.scope.inboundSegments else { throw StreamBail() }
        if case .raw(let range, let kind) = members[position].value {
            var isArray = false
            var cqText: Range<Int>?
            switch kind {
            case .container: isArray = bytes[range.lowerBound] == UInt8(ascii: "[")
            case .other: cqText = cqCodeText(range)
            default: break
            }
            if isArray || cqText != nil {
                let mark = output.count
                let resume = index
                var alt: [UInt8]?
                if wantsAlt {
                    // Room for a typical message's text, so appending does not grow it several times.
                    alt = []
                    alt?.reserveCapacity(128)
                    alt?.append(UInt8(ascii: "\""))
                }
                let streamed: Bool
                if let cqText {
                    streamed = try writeCQSegments(cqText, table: table, alt: &alt)
                } else {
                    streamed = try writeSegments(range, table: table, alt: &alt)
                }
                index = resume
                if streamed {
                    alt?.append(UInt8(ascii: "\""))
                    return alt
                }
                output.truncate(to: mark)
                // Only measured, and parsed below from depth 0: checked first at its real depth in the event.
                if isArray { try checkInEvent(range) }
                index = resume
            }
        }
        var value = try value(at: position)
        table.convert(message: &value)
        let alt = wantsAlt ? JSONValue.string(table.altMessage(for: value.arrayValue ?? [])).serialized() : nil
        if idFields != nil { Translator.stringifyIDs(in: &value, fields: translator.plan.responseIDFields) }
        value.write(to: &output, sortedKeys: false)
        return alt
    }

    /// Checks a member value that was only measured (`skipUnchecked`) as the parser would check it: in full, at
    /// its depth inside the event object.
    private mutating func checkInEvent(_ range: Range<Int>) throws(StreamBail) {
        index = range.lowerBound
        depth = 1
        defer { depth = 0 }
        try skipValue()
    }

    /// Writes the converted segments of the array at `range`; false (what it wrote is then discarded) when a
    /// segment needs the tree path. `alt` gathers the escaped `alt_message` text.
    private mutating func writeSegments(_ range: Range<Int>, table: InboundSegmentTable, alt: inout [UInt8]?)
        throws(StreamBail) -> Bool
    {
        // Checked here as the parser would: at the depth of an array inside the event object.
        index = range.lowerBound
        depth = 1
        defer { depth = 0 }
        try enter()
        index += 1
        output.append(UInt8(ascii: "["))
        skipWhitespace()
        if bytes[index] == UInt8(ascii: "]") {
            output.append(UInt8(ascii: "]"))
            return true
        }
        var first = true
        repeat {
            skipWhitespace()
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            guard try writeSegment(table: table, alt: &alt) else { return false }
        } while try nextMember(closing: UInt8(ascii: "]"))
        output.append(UInt8(ascii: "]"))
        return true
    }

    /// One segment, from its `{`: `{"type":…,"data":{…}}` with the rule's type and operations applied to `data`.
    private mutating func writeSegment(table: InboundSegmentTable, alt: inout [UInt8]?) throws(StreamBail) -> Bool {
        guard bytes[index] == UInt8(ascii: "{") else { return false }
        // One pass: the data's members are collected as they are read, whatever the order of type and data.
        let base = members.count
        defer { members.removeLast(members.count - base) }
        var typeRange: Range<Int>?
        var dataIsValid = true
        var hasOtherKeys = false
        try readObject { reader, key throws(StreamBail) in
            let start = reader.index
            if reader.matches(key, "data") {
                if reader.bytes[start] == UInt8(ascii: "{") {
                    try reader.readMembers(base: base)
                } else {
                    try reader.skipValue()
                    dataIsValid = reader.matches(start..<reader.index, "null")
                }
            } else {
                try reader.skipValue()
                if reader.matches(key, "type") { typeRange = start..<reader.index } else { hasOtherKeys = true }
            }
        }
        // The table rebuilds a segment as exactly type and data; one with more, data that is no object, or a type
        // that is no plain string is for the tree path.
        guard !hasOtherKeys, dataIsValid, let typeRange, let type = plainString(typeRange) else { return false }
        return try finishSegment(type: type, from: base, table: table, alt: &alt)
    }

    /// Writes a segment whose data members (from `base`) are collected: the rule for `type` is found and applied,
    /// the segment written, its alt text gathered. False when the rule reads values the streamed path does not.
    private mutating func finishSegment(type: String, from base: Int, table: InboundSegmentTable, alt: inout [UInt8]?)
        throws(StreamBail) -> Bool
    {
        // By index, not `for rule in`: each copy of a rule retains its parts.
        let rules = table.rules(for: type) ?? []
        var matched = rules.endIndex
        for index in rules.indices where try matches(rules[index].match, from: base) {
            matched = index
            break
        }
        let targetType: String
        if matched < rules.endIndex {
            guard let ops = rules[matched].ops.streamed else { return false }
            try apply(ops, from: base)
            targetType = rules[matched].type
        } else {
            targetType = (table.extensionPrefix ?? "") + type
        }
        output.append(#"{"type":"#)
        JSONValue.writeString(targetType, to: &output)
        output.append(#","data":{"#)
        for position in base..<members.count {
            if position > base { output.append(UInt8(ascii: ",")) }
            try write(members[position])
        }
        output.append("}}")
        guard var text = alt else { return true }
        // Taken out while appended to, so the append does not copy it.
        alt = nil
        let done = appendAlt(for: targetType, table: table, from: base, to: &text)
        alt = text
        return done
    }

    /// The inside of a string value that can be read as CQ code byte by byte as `CQCode.segments(from:)` reads
    /// it: no JSON escape (so the bytes are the text) and no character that joins an ASCII neighbour.
    private func cqCodeText(_ range: Range<Int>) -> Range<Int>? {
        guard bytes[range.lowerBound] == UInt8(ascii: "\""), range.count >= 2 else { return nil }
        let text = range.lowerBound + 1..<range.upperBound - 1
        let buffer = UnsafeBufferPointer(start: bytes + text.lowerBound, count: text.count)
        guard !buffer.contains(UInt8(ascii: "\\")), CQCode.hasPlainASCIIBoundaries(buffer) else { return nil }
        return text
    }

    /// The segments of CQ-code text (OB11 string form, onebot11.md §10.2) written as `CQCode.segments(from:)` and
    /// the segment table make them, the parameters taken where they stand in the event's bytes. False when a
    /// segment repeats a parameter (the tree keeps the last value at the first place) or its rule reads values.
    private mutating func writeCQSegments(_ text: Range<Int>, table: InboundSegmentTable, alt: inout [UInt8]?)
        throws(StreamBail) -> Bool
    {
        let all = UnsafeBufferPointer(start: bytes, count: count)
        output.append(UInt8(ascii: "["))
        var wroteOne = false
        var pendingStart = text.lowerBound
        var cursor = text.lowerBound
        while let open = CQCode.findOpening(all, from: cursor, to: text.upperBound) {
            guard let close = CQCode.firstIndex(of: UInt8(ascii: "]"), in: all, from: open + 4, to: text.upperBound) else {
                break
            }
            let typeEnd = CQCode.firstIndex(of: UInt8(ascii: ","), in: all, from: open + 4, to: close) ?? close
            cursor = close + 1
            // `[CQ:]` and `[CQ:,…]` have no type: literal text, as the parser keeps them.
            guard typeEnd > open + 4 else { continue }
            if pendingStart < open {
                guard try writeCQText(pendingStart..<open, table: table, alt: &alt, after: &wroteOne) else { return false }
            }
            pendingStart = close + 1
            let base = members.count
            defer { members.removeLast(members.count - base) }
            var partStart = typeEnd
            while partStart < close {
                let keyStart = partStart + 1
                let partEnd = CQCode.firstIndex(of: UInt8(ascii: ","), in: all, from: keyStart, to: close) ?? close
                let equals = CQCode.firstIndex(of: UInt8(ascii: "="), in: all, from: keyStart, to: partEnd)
                let key = UnsafeBufferPointer(start: bytes + keyStart, count: (equals ?? partEnd) - keyStart)
                guard position(of: key, from: base) == nil else { return false }
                members.append(StreamMember(key: .name(StreamBytes(start: key.baseAddress!, count: key.count)),
                                            value: .raw((equals.map { $0 + 1 } ?? partEnd)..<partEnd, .cqText),
                                            place: -1))
                partStart = partEnd
            }
            if wroteOne { output.append(UInt8(ascii: ",")) }
            wroteOne = true
            let type = String(decoding: UnsafeBufferPointer(start: bytes + open + 4, count: typeEnd - open - 4), as: UTF8.self)
            guard try finishSegment(type: type, from: base, table: table, alt: &alt) else { return false }
        }
        if pendingStart < text.upperBound {
            guard try writeCQText(pendingStart..<text.upperBound, table: table, alt: &alt, after: &wroteOne) else {
                return false
            }
        }
        output.append(UInt8(ascii: "]"))
        return true
    }

    /// Text between CQ codes: a `text` segment (`CQCode.textSegment`).
    private mutating func writeCQText(_ text: Range<Int>, table: InboundSegmentTable, alt: inout [UInt8]?,
                                      after wroteOne: inout Bool) throws(StreamBail) -> Bool {
        if wroteOne { output.append(UInt8(ascii: ",")) }
        wroteOne = true
        let base = members.count
        defer { members.removeLast(members.count - base) }
        let name: StaticString = "text"
        members.append(StreamMember(key: .name(StreamBytes(start: name.utf8Start, count: name.utf8CodeUnitCount)),
                                    value: .raw(text, .cqText), place: -1))
        return try finishSegment(type: "text", from: base, table: table, alt: &alt)
    }

    /// Whether the segment's data (members from `base`) holds every value a rule's `match` names.
    private func matches(_ match: [FieldOps.Assignment], from base: Int) throws(StreamBail) -> Bool {
        for condition in match {
            guard let position = position(ofName: condition.key, from: base),
                try value(at: position) == condition.value
            else { return false }
        }
        return true
    }

    /// Appends a segment's `alt_message` text, escaped, as `InboundSegmentTable.altMessage` renders it; false
    /// when it would have to read a value other than a plain string or an integer.
    private func appendAlt(for type: String, table: InboundSegmentTable, from base: Int, to alt: inout [UInt8]) -> Bool {
        if type == "text" {
            guard let position = position(of: "text", from: base) else { return true }
            return appendText(at: position, to: &alt) != nil
        }
        if let template = table.escapedAlts[type] {
            // Any absent or empty value makes the whole text empty (`TextTemplate.rendered`).
            let mark = alt.count
            for part in template.parts {
                switch part {
                case .literal(let text):
                    alt.append(contentsOf: text)
                case .field(let name):
                    guard let position = position(ofName: name, from: base) else {
                        alt.removeLast(alt.count - mark)
                        return true
                    }
                    guard let isEmpty = appendText(at: position, to: &alt) else { return false }
                    if isEmpty {
                        alt.removeLast(alt.count - mark)
                        return true
                    }
                }
            }
            return true
        }
        alt += JSONValue.escapedContent(of: "[" + table.bareType(type) + "]")
        return true
    }

    /// Appends a member's value as alt text: a plain string's escaped content or an integer's digits. Returns
    /// whether it was empty, or nil for any other value.
    private func appendText(at position: Int, to alt: inout [UInt8]) -> Bool? {
        let text: UnsafeBufferPointer<UInt8>
        switch members[position].value {
        case .raw(let range, .integer), .raw(let range, .integerText):
            text = UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count)
        case .raw(let range, .other) where bytes[range.lowerBound] == UInt8(ascii: "\""):
            text = UnsafeBufferPointer(start: bytes + range.lowerBound + 1, count: range.count - 2)
        case .raw(let range, .cqText):
            let start = alt.count
            appendUnescapedCQ(range, to: &alt)
            return alt.count == start
        case .constant(let constant) where constant.integer != nil:
            text = constant.bytes.buffer
        case .constant(let constant) where constant.bytes.count >= 2 && constant.bytes.start[0] == UInt8(ascii: "\""):
            text = UnsafeBufferPointer(start: constant.bytes.start + 1, count: constant.bytes.count - 2)
        default:
            return nil
        }
        alt.append(contentsOf: text)
        return text.isEmpty
    }

    /// A CQ parameter's bytes with CQ's four escapes undone (`CQCode.unescape`).
    func appendUnescapedCQ(_ range: Range<Int>, to output: inout [UInt8]) {
        Self.forEachUnescapedCQByte(UnsafeBufferPointer(start: bytes, count: count), range) { output.append($0) }
    }

    /// The bytes of `range` with CQ's four escapes undone, one at a time.
    @inline(__always)
    static func forEachUnescapedCQByte(_ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UInt8) -> Void) {
        var index = range.lowerBound
        while index < range.upperBound {
            if all[index] == UInt8(ascii: "&"), let (byte, length) = CQCode.escape(in: all, at: index, end: range.upperBound) {
                body(byte)
                index += length
            } else {
                body(all[index])
                index += 1
            }
        }
    }

    private mutating func put(_ json: [UInt8]) {
        output.reserve(json.count)
        json.withUnsafeBufferPointer { output.put($0) }
    }

    /// The text of a plain string value (no escapes) at `range`, or nil.
    private func plainString(_ range: Range<Int>) -> String? {
        guard bytes[range.lowerBound] == UInt8(ascii: "\""),
            !UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count).contains(UInt8(ascii: "\\"))
        else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes + range.lowerBound + 1, count: range.count - 2),
                      as: UTF8.self)
    }

    /// Reads an object from its `{`, appending every member to `members` (places counted from `base`). An array
    /// under `measuring` is only measured (`skipUnchecked`); its range is returned, and the caller must check it.
    @discardableResult
    mutating func readMembers(base: Int, measuring: StaticString? = nil) throws(StreamBail) -> Range<Int>? {
        var unchecked: Range<Int>?
        try readObject { reader, key throws(StreamBail) in
            let start = reader.index
            let kind: StreamMember.Kind
            if let measuring, reader.bytes[start] == UInt8(ascii: "["), reader.matches(key, measuring) {
                try reader.skipUnchecked()
                unchecked = start..<reader.index
                kind = .container
            } else {
                kind = try reader.readMemberValue()
            }
            reader.appendMember(key: key, value: start..<reader.index, kind: kind, base: base)
        }
        return unchecked
    }

    /// A discriminator's text: nil when the event lacks it. One that is not a plain string gives up, so the
    /// tree path decides what such an event is.
    private func discriminator(_ name: String) throws(StreamBail) -> String? {
        guard let position = position(ofName: name) else { return nil }
        guard case .raw(let range, .other) = members[position].value, let text = plainString(range) else {
            throw StreamBail()
        }
        return text
    }

    /// The fields the row's targets read (`EventKey.templateFields` at most), as the event arrived.
    private func templateFields(of rule: EventRule) throws(StreamBail) -> JSONObject {
        var object = JSONObject()
        // One template at a time, not a list of the three: a row's targets are mostly literals, and the list
        // alone cost an allocation per event.
        func add(_ template: TextTemplate?) throws(StreamBail) {
            for case .field(let name) in template?.parts ?? [] where object[name] == nil {
                if let position = position(ofName: name) { object.appendUnique(name, try value(at: position)) }
            }
        }
        try add(rule.type)
        try add(rule.detailType)
        try add(rule.subType)
        return object
    }

    /// The member with this key, after the row's operations, among those from `base` (a segment's data).
    private func position(of name: StaticString, from base: Int = 0) -> Int? {
        position(of: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), from: base)
    }

    private func position(ofName name: String, from base: Int = 0) -> Int? {
        var name = name
        return name.withUTF8 { position(of: $0, from: base) }
    }

    private func position(of name: UnsafeBufferPointer<UInt8>, from base: Int) -> Int? {
        for position in base..<members.count {
            let key = keyBytes(at: position)
            if key.count == name.count, name.count == 0 || memoryEqual(key.baseAddress!, name.baseAddress!, name.count) {
                return position
            }
        }
        return nil
    }

    private func keyBytes(at position: Int) -> UnsafeBufferPointer<UInt8> {
        switch members[position].key {
        case .raw(let range): UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count)
        case .name(let name): name.buffer
        }
    }

    /// A member's value as a tree, for the few the rows read.
    private func value(at position: Int) throws(StreamBail) -> JSONValue {
        let text: UnsafeBufferPointer<UInt8>
        switch members[position].value {
        case .raw(let range, .integerText):
            return .string(String(decoding: UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count),
                                  as: UTF8.self))
        // Integers and null were read already; a string without escapes is its bytes.
        case .raw(_, .integer(let integer)):
            return .int(integer)
        case .raw(_, .null):
            return .null
        case .raw(let range, .other) where bytes[range.lowerBound] == UInt8(ascii: "\""):
            if let text = plainString(range) { return .string(text) }
            text = UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count)
        case .raw(let range, .cqText):
            var text: [UInt8] = []
            appendUnescapedCQ(range, to: &text)
            return .string(String(decoding: text, as: UTF8.self))
        case .raw(let range, _): text = UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count)
        case .constant(let constant): text = constant.bytes.buffer
        }
        do { return try JSONParser.parse(UnsafeRawBufferPointer(text)) } catch { throw StreamBail() }
    }

}

/// An `alt` template as the streamed event path writes it: literal parts already escaped for a JSON string.
struct EscapedTemplate: Sendable {
    enum Part: Sendable {
        case literal([UInt8])
        case field(String)
    }

    let parts: [Part]

    init(_ template: TextTemplate) {
        parts = template.parts.map { part in
            switch part {
            case .literal(let text):
                return .literal(JSONValue.escapedContent(of: text))
            case .field(let name):
                return .field(name)
            }
        }
    }
}
