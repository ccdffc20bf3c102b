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
    /// the full read would.
    mutating func readShaped(_ shape: ObjectShape.View) throws(StreamBail) -> Bool {
        guard !shape.members.isEmpty, fields.count == shape.members.count else { return false }
        try enter()
        defer { depth -= 1 }
        let start = index
        let read: Bool
        switch fields.reading {
        case .comparing: read = try readComparing(shape)
        case .scanning: read = try readScanning(shape)
        case .first:
            read = try readScanning(shape)
            if read { fields.reading = .comparing }
        }
        if read {
            fields.object = start
            return true
        }
        // A container's read moved `index`.
        index = start
        return false
    }

    /// Reads every member as the shape says. The position is kept in a local until the end: this loop is most of
    /// a list's cost.
    private mutating func readScanning(_ shape: ObjectShape.View) throws(StreamBail) -> Bool {
        var position = index &+ 1
        let fields = self.fields.pointer
        for member in shape.members.indices {
            guard let value = try readMember(shape.members[member], at: &position) else { return false }
            fields[member].value = value.range
            fields[member].kind = value.kind
        }
        return readSuffix(shape, at: position)
    }

    /// Reads as `readScanning`, but compares first with the element before, whose members are still in `fields`:
    /// where the bytes from a member's prefix through the byte after its value are the same as that element's,
    /// the value is the same token (the byte after ends a number as it ended the one before) and is taken without
    /// being scanned again. A list's elements repeat many values (zeros, empty strings, the same group), and the
    /// bytes are compared sixteen at a time across members. A member whose value differed once is read as the
    /// shape says for the rest of the list, and once every member has, the list goes on with `readScanning`.
    private mutating func readComparing(_ shape: ObjectShape.View) throws(StreamBail) -> Bool {
        var position = index &+ 1
        // Where the element before lines up with `position`, and how many bytes from there are the same in both
        // (-1: not compared yet). The element before ends before this one starts.
        var previous = self.fields.object &+ 1
        var same = -1
        var repeated = false
        let fields = self.fields.pointer
        for member in shape.members.indices {
            let before = fields[member].value
            if fields[member].repeats {
                let through = before.upperBound &- previous &+ 1
                if same < 0 {
                    same = JSONByteScan.commonPrefixLength(bytes + position, bytes + previous,
                                                           limit: min(index &- previous, count &- position))
                }
                if same >= through {
                    let shift = position &- previous
                    // The bounds were checked when the element before was read; moved together, they stay ordered.
                    let moved = (before.lowerBound &+ shift, before.upperBound &+ shift)
                    fields[member].value = Range(uncheckedBounds: moved)
                    position &+= through &- 1
                    previous = before.upperBound
                    same &-= through &- 1
                    repeated = true
                    continue
                }
                fields[member].repeats = false
            }
            guard let value = try readMember(shape.members[member], at: &position) else { return false }
            fields[member].value = value.range
            fields[member].kind = value.kind
            previous = before.upperBound
            same = -1
        }
        self.fields.reading = repeated ? .comparing : .scanning
        return readSuffix(shape, at: position)
    }

    /// Reads a member's prefix (which must be the shape's) and value (which must be of the shape's sort) from
    /// `position`, and moves it past them; nil when either differs.
    @inline(__always)
    private mutating func readMember(_ expected: ObjectShape.Member, at position: inout Int) throws(StreamBail)
        -> (range: Range<Int>, kind: StreamMember.Kind)? {
        let bytes = self.bytes
        let count = self.count
        let prefix = expected.prefix
        guard count &- position > prefix.count, prefix.equals(bytes + position, prefix.count) else { return nil }
        position &+= prefix.count
        let valueStart = position
        let first = bytes[position]
        let kind: StreamMember.Kind
        // The sort expected picks the scanner, inlined here: a list's values are mostly strings and integers.
        switch expected.sort {
        case .string:
            guard first == UInt8(ascii: "\"") else { return nil }
            position = try Self.scanString(bytes, count, from: position, isKey: false) &+ 1
            kind = .other
        case .integer:
            // A number of another form (a fraction, 19 digits or more) is left to the full read. Its value is not
            // needed: the steps copy or quote its digits.
            guard let end = JSONByteScan.plainIntegerEnd(bytes, from: position, count: count) else { return nil }
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
            guard Self.sort(of: kind, firstByte: first) == expected.sort else { return nil }
        }
        return (valueStart..<position, kind)
    }

    /// Checks the shape's bytes after the last value, through the `}`, and moves `index` past them.
    @inline(__always)
    private mutating func readSuffix(_ shape: ObjectShape.View, at position: Int) -> Bool {
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
                           steps: folded, literals: literals, quotesContainers: idFields != nil)
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
        for step in steps { try write(step, literals: literals) }
        output.append(UInt8(ascii: "}"))
        index = end
    }

    private mutating func write(_ step: WriteStep, literals: UnsafePointer<UInt8>) throws(StreamBail) {
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

    /// Writes the list element just read against `shape` (from `start`; its members in `fields`) by the shape's
    /// pieces: the most it can take is reserved once and every piece stored through a local cursor, with no
    /// capacity check or count update per piece. A step no piece can write as bytes (a container with IDs
    /// inside, a rule-made string) goes through `write(_:literals:)`, which reserves for itself.
    mutating func writeShaped(_ shape: ObjectShape.View, from start: Int) throws(StreamBail) {
        let end = index
        let fields = self.fields.pointer
        var most = end &- start &+ shape.fixedBytes
        for source in shape.copied { most &+= fields[source].value.count }
        output.reserve(most)
        var cursor = output.cursor
        cursor.pointee = UInt8(ascii: "{")
        cursor += 1
        for piece in shape.pieces {
            switch piece.mode {
            case .span:
                // The comma is stored either way and kept only when wanted: no branch.
                cursor.pointee = UInt8(ascii: ",")
                cursor += piece.comma ? 1 : 0
                let from = fields[piece.first].value.lowerBound &- piece.offset
                cursor = JSONWriter.store(bytes + from, fields[piece.last].value.upperBound &- from, at: cursor)
            case .literal:
                cursor = JSONWriter.store(shape.literals + piece.first, piece.last, at: cursor)
            case .quotedID:
                let value = fields[piece.first].value
                cursor.pointee = UInt8(ascii: "\"")
                if Self.isNegativeZero(bytes + value.lowerBound, value.count) {
                    cursor[1] = UInt8(ascii: "0")
                    cursor += 2
                } else {
                    cursor = JSONWriter.store(bytes + value.lowerBound, value.count, at: cursor + 1)
                }
                cursor.pointee = UInt8(ascii: "\"")
                cursor += 1
            case .step:
                output.advance(to: cursor)
                try write(shape.steps[piece.first], literals: shape.literals)
                output.reserve(most)
                cursor = output.cursor
            }
        }
        cursor.pointee = UInt8(ascii: "}")
        output.advance(to: cursor + 1)
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
