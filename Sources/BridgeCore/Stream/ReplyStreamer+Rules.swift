/// One member of an object the rules apply to: where its key and value are, or what a rule put there.
struct StreamMember {
    enum Key {
        case raw(Range<Int>)
        case name(StreamBytes)
    }

    /// What the rules and the ID quoting need to know of a value read from the reply.
    enum Kind {
        case null
        case integer(Int64)
        /// An integer read without its value (a list element read against its shape): only ever written, by its
        /// digits as they came.
        case digits
        case container
        case other
        /// An integer a `convert: {key: string}` rule made a string: its digits, written between quotes.
        case integerText
        /// A CQ-code parameter inside the event's message string: text with CQ's escapes, written as a JSON
        /// string once they are undone (the string it sits in needed no JSON escape, so neither does it).
        case cqText
    }

    enum Value {
        case raw(Range<Int>, Kind)
        case constant(StreamConstant)

        var isNull: Bool {
            switch self {
            case .raw(_, .null): true
            case .raw: false
            case .constant(let constant): constant.isNull
            }
        }
    }

    var key: Key
    var value: Value
    /// The member's place among its object's members in the reply while key and value are still the ones
    /// read there, -1 once a rule changed either: members still in place are copied from the reply in runs.
    var place: Int
}

extension ReplyStreamer {
    /// An object the rules apply to: its members are read (and checked) first, the rules change the list
    /// as `FieldOps.apply(to:)` changes an object, then the members are written in the list's order, by steps
    /// that a list keeps for its next element of the same shape (`ObjectShape`), which is then only read and
    /// written (`writeArray`).
    mutating func writeRuledObject(inList: Bool) throws(StreamBail) {
        let start = index
        if members.capacity == 0 { members.reserveCapacity(16) }
        fields.removeAll()
        fields.object = start
        let base = members.count
        // Members no rule names and written as they came are gathered into runs. A run stands in the list as
        // one member, keyed by its first key (which no rule names either), so the rules search a few members
        // instead of every one: most keys of a list element stay as they are. The run being gathered is
        // `runKey` (lowerBound -1: none) and `runValue`.
        var runKey = -1..<0
        var runValue = 0..<0
        try readObject { reader, key throws(StreamBail) in
            let start = reader.index
            let kind = try reader.readMemberValue()
            reader.fields.append(ShapeField(keyQuote: key.lowerBound - 1, value: start..<reader.index, kind: kind))
            if reader.isPlain(kind, key: key), !reader.isNamedByRules(key) {
                if runKey.lowerBound < 0 {
                    runKey = key
                    runValue = start..<reader.index
                } else {
                    runValue = runValue.lowerBound..<reader.index
                }
                return
            }
            if runKey.lowerBound >= 0 {
                reader.appendMember(key: runKey, value: runValue, kind: .other, base: base)
                runKey = -1..<0
            }
            reader.appendMember(key: key, value: start..<reader.index, kind: kind, base: base)
        }
        if runKey.lowerBound >= 0 { appendMember(key: runKey, value: runValue, kind: .other, base: base) }
        try apply(first, from: base)
        try apply(second, from: base)
        compileSteps(from: base)
        members.removeLast(members.count - base)
        // A list's next element can use the shape, and so can the next reply's list or single object: a shape is
        // made for a single object only when it can be kept.
        if inList || shapes != nil {
            let made = objectShape(of: start..<index)
            shape = made
            shapes?.keep(made, first: first, second: second)
        }
        let compiled = steps
        // Steps not folded into literals (`foldedLiterals`) read none: any address will do.
        try compiled.withUnsafeBufferPointer { steps throws(StreamBail) in try write(steps: steps, literals: bytes) }
    }

    mutating func apply(_ ops: StreamedFieldOps, from base: Int) throws(StreamBail) {
        for index in ops.steps.indices {
            switch ops.steps[index] {
            case .rename(let from, let to):
                guard let position = member(named: from, from: base) else { continue }
                if let clash = member(named: to, from: base) {
                    members[clash].value = members[position].value
                    members[clash].place = -1
                    members.remove(at: position)
                } else {
                    members[position].key = .name(to)
                    members[position].place = -1
                }
            case .copy(let from, let to):
                guard let position = member(named: from, from: base) else { continue }
                set(to, members[position].value, from: base)
            case .stringify(let key):
                // `ValueType.string.converted`, leniently: strings, null and containers stay; an integer's digits
                // become the string. A boolean or a fraction would be spelled anew by the tree path: give up.
                guard let position = member(named: key, from: base) else { continue }
                switch members[position].value {
                case .raw(let range, .integer):
                    members[position].value = .raw(range, .integerText)
                    members[position].place = -1
                case .raw(let range, .other) where bytes[range.lowerBound] != UInt8(ascii: "\""):
                    throw StreamBail()
                case .constant(let constant) where constant.integer != nil
                    || !(constant.isNull || constant.bytes.start[0] == UInt8(ascii: "\"")):
                    throw StreamBail()
                default:
                    continue
                }
            case .setDefault(let key, let value):
                if let position = member(named: key, from: base) {
                    if members[position].value.isNull {
                        members[position].value = .constant(value)
                        members[position].place = -1
                    }
                } else {
                    members.append(StreamMember(key: .name(key), value: .constant(value), place: -1))
                }
            case .set(let key, let value):
                set(key, .constant(value), from: base)
            case .drop(let key):
                if let position = member(named: key, from: base) { members.remove(at: position) }
            }
        }
    }

    /// Replaces the value under `key`, or appends the key: `JSONObject`'s subscript setter.
    private mutating func set(_ key: StreamBytes, _ value: StreamMember.Value, from base: Int) {
        if let position = member(named: key, from: base) {
            members[position].value = value
            members[position].place = -1
        } else {
            members.append(StreamMember(key: .name(key), value: value, place: -1))
        }
    }

    private func member(named name: StreamBytes, from base: Int) -> Int? {
        for position in base..<members.count {
            switch members[position].key {
            case .raw(let range):
                if name.equals(bytes + range.lowerBound, range.count) { return position }
            case .name(let key):
                if name.equals(key.start, key.count) { return position }
            }
        }
        return nil
    }

    @inline(__always)
    mutating func appendMember(key: Range<Int>, value: Range<Int>, kind: StreamMember.Kind, base: Int) {
        members.append(StreamMember(key: .raw(key), value: .raw(value, kind), place: members.count - base))
    }

    @inline(__always)
    private func isNamedByRules(_ key: Range<Int>) -> Bool {
        guard StreamNameSet.mayHold(ruleNameLengths, key.count) else { return false }
        return first.names.contains(bytes + key.lowerBound, key.count) || second.names.contains(bytes + key.lowerBound, key.count)
    }

    /// Whether a value read from the reply is written exactly as it was there.
    @inline(__always)
    func isPlain(_ kind: StreamMember.Kind, key: Range<Int>) -> Bool {
        guard let idFields else { return true }
        switch kind {
        case .container: return false
        case .integer, .digits: return !idFields.contains(bytes + key.lowerBound, key.count)
        case .null, .other: return true
        case .integerText, .cqText: return false
        }
    }

    mutating func write(_ member: StreamMember) throws(StreamBail) {
        let name = name(of: member.key)
        writeKey(name.buffer)
        try writeMemberValue(member.value, isID: idFields?.contains(name.start, name.count) ?? false)
    }

    /// A member's key as bytes: as read from the reply (unescaped, checked), or a name from the tables.
    func name(of key: StreamMember.Key) -> StreamBytes {
        switch key {
        case .raw(let range): StreamBytes(start: bytes + range.lowerBound, count: range.count)
        case .name(let name): name
        }
    }

    /// An integer ID as a string. JSON allows no leading zero, so its digits are already written as the tree
    /// would write them, read with its value or not (`.digits`); but "-0" (`isNegativeZero`).
    @inline(__always)
    private mutating func writeQuotedID(_ range: Range<Int>) {
        if Self.isNegativeZero(bytes + range.lowerBound, range.count) {
            writeQuoted(0)
        } else {
            writeQuotedDigits(range)
        }
    }

    /// Whether an integer's digits are "-0", which the tree path reads as 0 and writes so: the one integer whose
    /// digits are not copied as they came.
    @inline(__always)
    static func isNegativeZero(_ text: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count == 2 && text[0] == UInt8(ascii: "-") && text[1] == UInt8(ascii: "0")
    }

    private mutating func writeQuotedDigits(_ range: Range<Int>) {
        output.reserve(range.count + 2)
        output.put(UInt8(ascii: "\""))
        output.put(UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count))
        output.put(UInt8(ascii: "\""))
    }

    /// A key between quotes, and its colon. Keys were read unescaped or come from the tables, which
    /// `StreamedFieldOps` takes only when they need no escape.
    mutating func writeKey(_ name: UnsafeBufferPointer<UInt8>) {
        Self.writeKey(name, to: &output)
    }

    /// `writeKey` into another writer (a shape's literals).
    static func writeKey(_ name: UnsafeBufferPointer<UInt8>, to output: inout JSONWriter) {
        output.reserve(name.count + 3)
        output.put(UInt8(ascii: "\""))
        output.put(name)
        output.put(UInt8(ascii: "\""))
        output.put(UInt8(ascii: ":"))
    }

    /// A member's value, after its key: integers under ID keys quoted, rule-made strings between quotes.
    mutating func writeMemberValue(_ value: StreamMember.Value, isID: Bool) throws(StreamBail) {
        switch value {
        case .raw(let range, .integerText):
            writeQuotedDigits(range)
        case .raw(let range, .integer) where isID:
            writeQuotedID(range)
        case .raw(let range, .digits) where isID:
            writeQuotedID(range)
        case .raw(let range, .cqText):
            // Undoing an escape only shortens the text, so the reservation holds.
            output.reserve(range.count + 2)
            output.put(UInt8(ascii: "\""))
            Self.forEachUnescapedCQByte(UnsafeBufferPointer(start: bytes, count: count), range) { output.put($0) }
            output.put(UInt8(ascii: "\""))
        case .raw(let range, .container) where idFields != nil:
            // Integer IDs inside are quoted too: read it again, writing this time.
            index = range.lowerBound
            try writeValue(applyingRules: false)
        case .raw(let range, _):
            copy(range)
        case .constant(let constant):
            if isID, let integer = constant.integer {
                writeQuoted(integer)
            } else {
                output.reserve(constant.bytes.count)
                output.put(constant.bytes.buffer)
            }
        }
    }
}
