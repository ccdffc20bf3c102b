/// Why the streaming path handed a reply back to the tree path. Never shown: the tree path then gives
/// the same answer, or says what is wrong with the reply.
struct StreamBail: Error {}

/// Translates a successful upstream reply into the client's envelope straight from the reply's bytes,
/// with no value tree: strings and numbers are copied as they arrived, keys are renamed, copied,
/// defaulted and dropped by `StreamedFieldOps`, and integers under ID keys are written as strings.
///
/// It reads as strictly as `JSONParser` and gives up (`StreamBail`) on anything the tree path would read
/// differently: a failure envelope, an escaped or repeated key, invalid UTF-8, a number with an exponent
/// or beyond Int64, nesting past the parser's limit, malformed JSON. Agreement with the tree path is
/// tested on every golden reply and on mutated ones (`StreamedReplyTests`).
struct ReplyStreamer: ~Copyable {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    var index = 0
    var depth = 0
    /// The rules of the route and of the client action, applied in that order to each object of `data`
    /// (or to `data` itself when it is an object), as `FieldOps.apply(toValue:)` does.
    let first: StreamedFieldOps
    let second: StreamedFieldOps
    let idFields: StreamNameSet?
    /// The lengths of the keys either rule layer names (`StreamNameSet.lengths`): a key of another length is
    /// not touched by the rules, which is most keys.
    let ruleNameLengths: UInt64
    var output: JSONWriter
    /// Key ranges of the objects being read, innermost last, for the repeated-key check.
    /// Only `keys[..<keyCount]` are live: the array is never shrunk, so closing an object costs one store.
    var keys: [Range<Int>] = []
    var keyCount = 0
    /// The members of the object the rules apply to, collected before any is written.
    var members: [StreamMember] = []
    /// The members of the ruled object being written, as read (`ObjectShape`).
    var fields = ShapeFields()
    /// How the last ruled object of a list was written, for the next one of its shape.
    var shape: ObjectShape?
    /// How the ruled object being written is written (`compileSteps`).
    var steps: [WriteStep] = []
    /// Where list-element shapes are kept for the next reply under the same rules; nil: not kept.
    let shapes: ShapeMemo?

    init(bytes: UnsafePointer<UInt8>, count: Int, first: StreamedFieldOps, second: StreamedFieldOps,
         idFields: StreamNameSet?, shapes: ShapeMemo? = nil) {
        self.bytes = bytes
        self.count = count
        self.first = first
        self.second = second
        self.idFields = idFields
        self.shapes = shapes
        ruleNameLengths = first.names.lengths | second.names.lengths
        // Renamed keys, quoted IDs and the fields OB12 adds make the answer longer than the reply: the 50-friend
        // list grows by 30 %. Room for half as much again spares a regrowth and its copy; pages never written
        // are never touched.
        output = JSONWriter(capacity: count + count / 2 + 64)
    }

    /// What was written, in the writer's allocation.
    consuming func finish() -> SerializedBytes {
        output.finish()
    }

    var hasRules: Bool { !first.steps.isEmpty || !second.steps.isEmpty }

    /// Reads the upstream envelope and writes `{"status":"ok","retcode":0,"data":…,"message":""` (the
    /// caller closes it). Gives up unless the reply is a plain success: status "ok" or "", retcode 0.
    mutating func writeEnvelope() throws(StreamBail) {
        output.append(#"{"status":"ok","retcode":0,"data":"#)
        skipWhitespace()
        guard index < count, bytes[index] == UInt8(ascii: "{") else { throw StreamBail() }
        var sawEnvelopeKey = false
        var sawData = false
        try readObject { reader, key throws(StreamBail) in
            switch key.count {
            case 6 where reader.matches(key, "status"):
                guard reader.index < reader.count, reader.bytes[reader.index] == UInt8(ascii: "\"") else { throw StreamBail() }
                let text = try reader.readString(isKey: false)
                guard text.isEmpty || reader.matches(text, "ok") else { throw StreamBail() }
                sawEnvelopeKey = true
            case 7 where reader.matches(key, "retcode"):
                guard case (_, 0?) = try reader.readNumberIfAny() else { throw StreamBail() }
                sawEnvelopeKey = true
            case 4 where reader.matches(key, "data"):
                try reader.writeValue(applyingRules: true)
                sawData = true
            default:
                try reader.skipValue()
            }
        }
        skipWhitespace()
        guard index == count, sawEnvelopeKey else { throw StreamBail() }
        if !sawData { output.append("null") }
        output.append(#","message":"""#)
    }

    /// Whether `range` of the reply holds exactly `text`.
    func matches(_ range: Range<Int>, _ text: StaticString) -> Bool {
        text.utf8CodeUnitCount == range.count && memoryEqual(bytes + range.lowerBound, text.utf8Start, range.count)
    }

    // MARK: Writing values

    /// Copies a value, rewriting the objects the rules apply to and quoting integer IDs at any depth.
    mutating func writeValue(applyingRules: Bool, inList: Bool = false) throws(StreamBail) {
        skipWhitespace()
        guard index < count else { throw StreamBail() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            if applyingRules, hasRules {
                // A list's elements look for the kept shape in `writeArray`, before the first.
                if !inList, try writeKeptShape() { return }
                try writeRuledObject(inList: inList)
            } else {
                try writeObject()
            }
        case UInt8(ascii: "["):
            try writeArray(applyingRules: applyingRules)
        default:
            let start = index
            _ = try readScalar()
            copy(start..<index)
        }
    }

    /// Writes the ruled object at `index` by the shape kept from an earlier reply, if there is one and the object
    /// has it (a single object: `data` itself, whose shape the replies to one action share as lists' elements do).
    private mutating func writeKeptShape() throws(StreamBail) -> Bool {
        guard let kept = takeKeptShape() else { return false }
        let start = index
        guard try readShaped(kept) else { return false }
        try writeShaped(kept, from: start)
        return true
    }

    /// The shape kept from an earlier reply under these rules, made the current one, with `fields` ready for an
    /// object read against it; nil when none is kept.
    private mutating func takeKeptShape() -> ObjectShape.View? {
        guard let kept = shapes?.shape(first: first, second: second) else { return nil }
        shape = kept
        fields.prime(count: kept.view.members.count)
        return kept.view
    }

    private mutating func writeArray(applyingRules: Bool) throws(StreamBail) {
        if idFields == nil, !applyingRules || !hasRules {
            let start = index
            try skipValue()
            return copy(start..<index)
        }
        try enter()
        index += 1
        output.append(UInt8(ascii: "["))
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "]") {
            index += 1
        } else {
            // The shape of the element before, as a view: `shape` keeps it alive until it is replaced, and then
            // `previous` is replaced too. The first element is read against the shape kept from an earlier reply.
            var previous = applyingRules && hasRules ? takeKeptShape() : nil
            while true {
                skipWhitespace()
                let start = index
                if let previous, applyingRules, index < count, bytes[index] == UInt8(ascii: "{"), try readShaped(previous) {
                    try writeShaped(previous, from: start)
                } else {
                    try writeValue(applyingRules: applyingRules, inList: true)
                    previous = shape?.view
                }
                guard try nextMember(closing: UInt8(ascii: "]")) else { break }
                output.append(UInt8(ascii: ","))
            }
        }
        output.append(UInt8(ascii: "]"))
        depth -= 1
    }

    /// An object no rule applies to, copied as it stands but for integer IDs, which are quoted, at any depth.
    private mutating func writeObject() throws(StreamBail) {
        let start = index
        guard let idFields else {
            try skipValue()
            return copy(start..<index)
        }
        // The reply's bytes since the last rewritten value, copied in one piece.
        var run = start
        try readObject { reader, key throws(StreamBail) in
            let valueStart = reader.index
            if reader.bytes[valueStart] == UInt8(ascii: "{") || reader.bytes[valueStart] == UInt8(ascii: "[") {
                reader.copy(run..<valueStart)
                try reader.writeValue(applyingRules: false)
                run = reader.index
            } else if case .integer(let integer) = try reader.readScalar(),
                idFields.contains(reader.bytes + key.lowerBound, key.count) {
                reader.copy(run..<valueStart)
                reader.writeQuoted(integer)
                run = reader.index
            }
        }
        copy(run..<index)
    }

    mutating func writeQuoted(_ integer: Int64) {
        Self.writeQuoted(integer, to: &output)
    }

    /// `writeQuoted` into another writer (a shape's literals).
    static func writeQuoted(_ integer: Int64, to output: inout JSONWriter) {
        output.append(UInt8(ascii: "\""))
        JSONValue.writeInteger(integer, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `range` of the reply as it is.
    @inline(__always)
    mutating func copy(_ range: Range<Int>) {
        output.reserve(range.count)
        output.put(UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count))
    }
}

/// A set of key names with a length filter: most keys have a length no name in the set has, and are
/// passed over without a compare. It holds the ID keys whose integers the client reads as strings (OB12),
/// and the keys a rule names.
final class StreamNameSet: Sendable {
    private let names: [StreamBytes]
    /// Bit n is set when a name is n bytes long (63 for any longer).
    let lengths: UInt64
    private let pool: StreamBytePool

    init(_ fields: [String]) {
        let pool = StreamBytePool(fields.map { Array($0.utf8) })
        names = fields.indices.map { pool[$0] }
        self.pool = pool
        lengths = fields.reduce(0) { $0 | 1 << UInt64(min($1.utf8.count, 63)) }
    }

    @inline(__always)
    static func mayHold(_ lengths: UInt64, _ length: Int) -> Bool {
        lengths & (1 << UInt64(min(length, 63))) != 0
    }

    @inline(__always)
    func contains(_ key: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard Self.mayHold(lengths, length) else { return false }
        for index in names.indices where names[index].equals(key, length) { return true }
        return false
    }
}

/// Eight bytes at a time, the last (partial) eight overlapping the ones before; four and four for shorter
/// runs: keys are compared often and are mostly 4 to 16 bytes long.
@inline(__always)
func memoryEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    func load<T: FixedWidthInteger>(_ pointer: UnsafePointer<UInt8>, _ offset: Int, as: T.Type) -> T {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: T.self)
    }
    guard count >= 8 else {
        if count >= 4 {
            return load(lhs, 0, as: UInt32.self) == load(rhs, 0, as: UInt32.self)
                && load(lhs, count &- 4, as: UInt32.self) == load(rhs, count &- 4, as: UInt32.self)
        }
        var offset = 0
        while offset < count {
            guard lhs[offset] == rhs[offset] else { return false }
            offset &+= 1
        }
        return true
    }
    var offset = 0
    while offset &+ 8 < count {
        guard load(lhs, offset, as: UInt64.self) == load(rhs, offset, as: UInt64.self) else { return false }
        offset &+= 8
    }
    return load(lhs, count &- 8, as: UInt64.self) == load(rhs, count &- 8, as: UInt64.self)
}
