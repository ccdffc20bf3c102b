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
    let idFields: StreamIDFields?
    var output: JSONWriter
    /// Key ranges of the objects being read, innermost last, for the repeated-key check.
    var keys: [Range<Int>] = []
    /// The members of the object the rules apply to, collected before any is written.
    var members: [StreamMember] = []

    init(bytes: UnsafePointer<UInt8>, count: Int, first: StreamedFieldOps, second: StreamedFieldOps,
         idFields: StreamIDFields?) {
        self.bytes = bytes
        self.count = count
        self.first = first
        self.second = second
        self.idFields = idFields
        // Renamed keys and quoted IDs make the answer a little longer than the reply.
        output = JSONWriter(capacity: count + count / 4 + 64)
    }

    var hasRules: Bool { !first.steps.isEmpty || !second.steps.isEmpty }

    /// Reads the upstream envelope and writes `{"status":"ok","retcode":0,"data":…,"message":""` (the
    /// caller closes it). Gives up unless the reply is a plain success: status "ok" or "", retcode 0.
    mutating func writeEnvelope() throws(StreamBail) {
        output.append(#"{"status":"ok","retcode":0,"data":"#)
        skipWhitespace()
        guard index < count, bytes[index] == UInt8(ascii: "{") else { throw StreamBail() }
        try enter()
        index += 1
        var seen: UInt64 = 0
        var sawEnvelopeKey = false
        var sawData = false
        while true {
            skipWhitespace()
            let key = try readKey(seen: &seen, from: 0)
            try expectColon()
            switch key.count {
            case 6 where matches(key, "status"):
                guard index < count, bytes[index] == UInt8(ascii: "\"") else { throw StreamBail() }
                let text = try readString(isKey: false)
                guard text.isEmpty || matches(text, "ok") else { throw StreamBail() }
                sawEnvelopeKey = true
            case 7 where matches(key, "retcode"):
                guard index < count, bytes[index] == UInt8(ascii: "-") || isDigit(bytes[index]),
                    case (_, 0?) = try readNumber()
                else { throw StreamBail() }
                sawEnvelopeKey = true
            case 4 where matches(key, "data"):
                try writeValue(applyingRules: true)
                sawData = true
            default:
                try skipValue()
            }
            skipWhitespace()
            guard index < count else { throw StreamBail() }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "}") else { throw StreamBail() }
            index += 1
            break
        }
        skipWhitespace()
        guard index == count, sawEnvelopeKey else { throw StreamBail() }
        if !sawData { output.append("null") }
        output.append(#","message":"""#)
    }

    /// Whether `range` of the reply holds exactly `text`.
    private func matches(_ range: Range<Int>, _ text: StaticString) -> Bool {
        text.utf8CodeUnitCount == range.count && memoryEqual(bytes + range.lowerBound, text.utf8Start, range.count)
    }

    // MARK: Writing values

    /// Copies a value, rewriting the objects the rules apply to and quoting integer IDs at any depth.
    mutating func writeValue(applyingRules: Bool) throws(StreamBail) {
        skipWhitespace()
        guard index < count else { throw StreamBail() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            if applyingRules, hasRules { try writeRuledObject() } else { try writeObject() }
        case UInt8(ascii: "["):
            try writeArray(applyingRules: applyingRules)
        default:
            let start = index
            _ = try readScalar()
            copy(start..<index)
        }
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
            while true {
                try writeValue(applyingRules: applyingRules)
                skipWhitespace()
                guard index < count else { throw StreamBail() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    output.append(UInt8(ascii: ","))
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw StreamBail() }
                index += 1
                break
            }
        }
        output.append(UInt8(ascii: "]"))
        depth -= 1
    }

    /// An object no rule applies to, copied as it stands but for integer IDs, which are quoted, at any depth.
    private mutating func writeObject() throws(StreamBail) {
        let start = index
        guard idFields != nil else {
            try skipValue()
            return copy(start..<index)
        }
        try enter()
        index += 1
        let mark = keys.count
        var seen: UInt64 = 0
        // The reply's bytes since the last rewritten value, copied in one piece.
        var run = start
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                let key = try readKey(seen: &seen, from: mark)
                try expectColon()
                guard index < count else { throw StreamBail() }
                if bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") {
                    copy(run..<index)
                    try writeValue(applyingRules: false)
                    run = index
                } else {
                    let valueStart = index
                    if case .integer(let integer) = try readScalar(), idFields!.contains(bytes + key.lowerBound, key.count) {
                        copy(run..<valueStart)
                        writeQuoted(integer)
                        run = index
                    }
                }
                skipWhitespace()
                guard index < count else { throw StreamBail() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "}") else { throw StreamBail() }
                index += 1
                break
            }
        }
        copy(run..<index)
        keys.removeSubrange(mark...)
        depth -= 1
    }

    mutating func writeQuoted(_ integer: Int64) {
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

/// The ID keys whose integers the client reads as strings (OB12), with a length filter: most keys have
/// a length no ID key has, and are passed over without a compare.
final class StreamIDFields: Sendable {
    private let names: [StreamBytes]
    private let lengths: UInt64
    private let pool: StreamBytePool

    init(_ fields: [String]) {
        let pool = StreamBytePool(fields.map { Array($0.utf8) })
        names = fields.indices.map { pool[$0] }
        self.pool = pool
        lengths = fields.reduce(0) { $0 | 1 << UInt64(min($1.utf8.count, 63)) }
    }

    @inline(__always)
    func contains(_ key: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard lengths & (1 << UInt64(min(length, 63))) != 0 else { return false }
        for index in names.indices where names[index].equals(key, length) { return true }
        return false
    }
}

@inline(__always)
func memoryEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for offset in 0..<count where lhs[offset] != rhs[offset] { return false }
    return true
}
