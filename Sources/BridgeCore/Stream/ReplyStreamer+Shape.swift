// Ruled objects written by steps (`WriteStep`), and list elements read against the shape of the one before
// (`ObjectShape`).
extension ReplyStreamer {
    static func sort(of kind: StreamMember.Kind, firstByte: UInt8) -> ObjectShape.Sort {
        switch kind {
        case .null: .null
        case .integer, .digits: .integer
        case .container: .container
        case .other, .integerText, .cqText: firstByte == UInt8(ascii: "\"") ? .string : .otherScalar
        }
    }

    /// Reads an object from its `{` into `fields` if it has exactly `shape`'s bytes between values, and values
    /// of the same sorts; otherwise leaves `index` where it was and returns false. A malformed value gives up, as
    /// the full read would. The position is kept in a local until the end: this loop is most of a list's cost.
    mutating func readShaped(_ shape: ObjectShape.View) throws(StreamBail) -> Bool {
        guard !shape.members.isEmpty, fields.count == shape.members.count else { return false }
        try enter()
        defer { depth -= 1 }
        let start = index
        if try readMembers(of: shape) { return true }
        // A container's read moved `index`.
        index = start
        return false
    }

    private mutating func readMembers(of shape: ObjectShape.View) throws(StreamBail) -> Bool {
        let bytes = self.bytes
        let count = self.count
        var position = index &+ 1
        for member in shape.members.indices {
            let expected = shape.members[member]
            let prefix = expected.prefix
            guard count &- position > prefix.count, prefix.equals(bytes + position, prefix.count) else { return false }
            position &+= prefix.count
            let valueStart = position
            let first = bytes[position]
            let kind: StreamMember.Kind
            // The sort expected picks the scanner, inlined here: a list's values are mostly strings and integers.
            switch expected.sort {
            case .string:
                guard first == UInt8(ascii: "\"") else { return false }
                position = try Self.scanString(bytes, count, from: position, isKey: false) &+ 1
                kind = .other
            case .integer:
                // A number of another form (a fraction, 19 digits or more) is left to the full read. Its value is not
                // needed: the steps copy or quote its digits.
                guard let end = JSONByteScan.plainIntegerEnd(bytes, from: position, count: count) else { return false }
                position = end
                kind = .digits
            case .null, .otherScalar, .container:
                if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                    index = position
                    try skipValue()
                    position = index
                    kind = .container
                } else {
                    (position, kind) = try Self.scanScalar(bytes, count, from: position)
                }
                guard Self.sort(of: kind, firstByte: first) == expected.sort else { return false }
            }
            fields[member].value = valueStart..<position
            fields[member].kind = kind
        }
        guard count &- position >= shape.suffix.count, shape.suffix.equals(bytes + position, shape.suffix.count)
        else { return false }
        index = position &+ shape.suffix.count
        return true
    }

    /// Works out the steps that write the rules' member list (from `base`) for any object of this one's shape
    /// (its members read into `fields`), into `steps`: members still in their reply places are copied in runs, the
    /// others written one by one.
    mutating func compileSteps(from base: Int) {
        if steps.capacity == 0 { steps.reserveCapacity(16) }
        steps.removeAll(keepingCapacity: true)
        var run: PendingRun?
        for position in base..<members.count {
            let member = members[position]
            if member.place >= 0, case .raw(let key) = member.key, case .raw(let value, let kind) = member.value,
                isPlain(kind, key: key) {
                let first = fields.first { $0.keyQuote == key.lowerBound - 1 }
                let last = fields.first { $0.value.upperBound == value.upperBound }
                if var pending = run, first == pending.last + 1 {
                    pending.last = last
                    run = pending
                } else {
                    if let pending = run { steps.append(pending.step) }
                    run = PendingRun(first: first, last: last, keyOffset: fields[first].value.lowerBound - fields[first].keyQuote,
                                     comma: position > base)
                }
                continue
            }
            if let pending = run { steps.append(pending.step) }
            run = nil
            let name = name(of: member.key)
            steps.append(.key(name, comma: position > base))
            let isID = idFields?.contains(name.start, name.count) ?? false
            switch member.value {
            case .raw(let range, let kind):
                let changed: StreamMember.Kind?
                switch kind {
                case .integerText, .cqText: changed = kind
                case .null, .integer, .digits, .container, .other: changed = nil
                }
                steps.append(.value(source: fields.first { $0.value.lowerBound == range.lowerBound }, kind: changed, isID: isID))
            case .constant(let constant):
                steps.append(.constant(constant, isID: isID))
            }
        }
        if let pending = run { steps.append(pending.step) }
    }

    /// The shape of the object just read in full (`object`, its members in `fields`), to be written by `steps`.
    func objectShape(of object: Range<Int>) -> ObjectShape {
        var previousEnd = object.lowerBound + 1
        let members = fields.map { field in
            defer { previousEnd = field.value.upperBound }
            return ObjectShape.Member(prefix: StreamBytes(start: bytes + previousEnd, count: field.value.lowerBound - previousEnd),
                                      sort: Self.sort(of: field.kind, firstByte: bytes[field.value.lowerBound]))
        }
        let (folded, literals) = Self.foldedLiterals(steps)
        return ObjectShape(members: members, suffix: StreamBytes(start: bytes + previousEnd, count: object.upperBound - previousEnd),
                           steps: folded, literals: literals)
    }

    /// `steps` with each row of keys and constants turned into one literal: the bytes they write, which are the
    /// same for every element of a shape. Done once per shape (a single object's steps are used once and keep
    /// them as they are).
    static func foldedLiterals(_ steps: [WriteStep]) -> ([WriteStep], SerializedBytes) {
        var folding = LiteralFolding(capacity: steps.count)
        for step in steps {
            switch step {
            case .key(let name, let comma):
                folding.open()
                if comma { folding.bytes.append(UInt8(ascii: ",")) }
                writeKey(name.buffer, to: &folding.bytes)
            case .constant(let constant, let isID):
                folding.open()
                // As `writeMemberValue` writes a constant: an ID's integer as a string.
                if isID, let integer = constant.integer {
                    writeQuoted(integer, to: &folding.bytes)
                } else {
                    folding.bytes.reserve(constant.bytes.count)
                    folding.bytes.put(constant.bytes.buffer)
                }
            case .run, .value, .literal:
                folding.close()
                folding.steps.append(step)
            }
        }
        folding.close()
        return (folding.steps, folding.bytes.finish())
    }

    /// Writes the object just read into `fields` by `steps`, whose literals are ranges of `literals`; `index`
    /// ends past the object.
    mutating func write(steps: UnsafeBufferPointer<WriteStep>, literals: UnsafePointer<UInt8>) throws(StreamBail) {
        let end = index
        output.append(UInt8(ascii: "{"))
        for step in steps {
            switch step {
            case .run(let first, let last, let keyOffset, let comma):
                if comma { output.append(UInt8(ascii: ",")) }
                copy(fields[first].value.lowerBound - keyOffset..<fields[last].value.upperBound)
            case .literal(let range):
                output.reserve(range.count)
                output.put(UnsafeBufferPointer(start: literals + range.lowerBound, count: range.count))
            case .key(let name, let comma):
                if comma { output.append(UInt8(ascii: ",")) }
                writeKey(name.buffer)
            case .value(let source, let kind, let isID):
                let field = fields[source]
                try writeMemberValue(.raw(field.value, kind ?? field.kind), isID: isID)
            case .constant(let constant, let isID):
                try writeMemberValue(.constant(constant), isID: isID)
            }
        }
        output.append(UInt8(ascii: "}"))
        index = end
    }
}

/// Steps and literal bytes being gathered by `foldedLiterals`; `start` is where the open literal began.
private struct LiteralFolding: ~Copyable {
    var steps: [WriteStep] = []
    var bytes = JSONWriter(capacity: 128)
    var start: Int?

    init(capacity: Int) {
        steps.reserveCapacity(capacity)
    }

    /// Starts a literal unless one is open.
    mutating func open() {
        if start == nil { start = bytes.count }
    }

    /// Ends the open literal, if any, as a step.
    mutating func close() {
        guard let open = start else { return }
        steps.append(.literal(open..<bytes.count))
        start = nil
    }
}

/// A run of members being gathered by `compileSteps`.
private struct PendingRun {
    let first: Int
    var last: Int
    let keyOffset: Int
    let comma: Bool

    var step: WriteStep { .run(first: first, last: last, keyOffset: keyOffset, comma: comma) }
}
