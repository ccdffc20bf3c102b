/// A malformed JSON document, with the byte offset where reading stopped.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package var offset: Int
    package var reason: String

    package var description: String { "malformed JSON at byte \(offset): \(reason)" }
}

/// Parses UTF-8 JSON (RFC 8259) into `JSONValue`, keeping integers exact.
///
/// Hand-written because the core imports only the standard library, and because Foundation's
/// parsers route numbers through `Double`/`NSNumber`, which breaks exact 64-bit IDs.
/// Pure; throws `JSONParseError`.
package struct JSONParser: ~Copyable {
    /// Nesting deeper than this is refused, so a hostile body cannot exhaust the stack.
    package static let maximumDepth = 256

    let bytes: UnsafePointer<UInt8>
    let count: Int
    var index = 0
    private var depth = 0
    private var entries: Scratch<JSONObject.Entry>
    private var elements: Scratch<JSONValue>

    private init(bytes: UnsafePointer<UInt8>, count: Int, entries: consuming Scratch<JSONObject.Entry>,
                 elements: consuming Scratch<JSONValue>) {
        self.bytes = bytes
        self.count = count
        self.entries = entries
        self.elements = elements
    }

    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONParseError(offset: 0, reason: "unexpected end of input")
        }
        // Room for the members of typical documents on the stack; larger ones move to the heap. Past 1 KiB the
        // standard library asks the platform whether the stack has room, and on Linux it mallocs instead.
        let entryCapacity = 1024 / MemoryLayout<JSONObject.Entry>.stride
        let elementCapacity = 1024 / MemoryLayout<JSONValue>.stride
        let result = withUnsafeTemporaryAllocation(of: JSONObject.Entry.self, capacity: entryCapacity) { entries in
            withUnsafeTemporaryAllocation(of: JSONValue.self, capacity: elementCapacity) { elements in
                var parser = JSONParser(bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count,
                                        entries: Scratch(entries), elements: Scratch(elements))
                do throws(JSONParseError) {
                    return Result<JSONValue, JSONParseError>.success(try parser.parseDocument())
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    package static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONParseError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { buffer in
            do throws(JSONParseError) { return .success(try parse(UnsafeRawBufferPointer(buffer))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == count else { throw failure("unexpected data after the value") }
        return value
    }

    func failure(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        guard index + length <= count else { throw failure("unexpected end of input") }
        for offset in 0..<length where bytes[index + offset] != literal.utf8Start[offset] {
            throw failure("invalid literal")
        }
        index += length
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
    }

    /// Members are kept on `entries` until the closing brace, then moved into one exactly sized object
    /// with room for a few keys that translation adds.
    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        let start = entries.count
        // One bit per key hash: a repeated key is looked for only when its bit is already set.
        var seenKeys: UInt64 = 0
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard index < count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let (key, bit) = try parseKey()
            skipWhitespace()
            guard index < count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            // A repeated key keeps its first position and last value, as most JSON readers do.
            if seenKeys & bit != 0, let position = duplicate(of: key, from: start) {
                entries[position].value = value
            } else {
                seenKeys |= bit
                entries.push(JSONObject.Entry(key: key, value: value))
            }
            skipWhitespace()
            guard index < count else { throw failure("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw failure("expected ',' or '}'")
        }
        depth -= 1
        return .object(JSONObject(entries.popArray(from: start, extra: 4)))
    }

    private func duplicate(of key: String, from start: Int) -> Int? {
        for position in start..<entries.count where entries[position].key == key { return position }
        return nil
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        let start = elements.count
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array([])
        }
        while true {
            skipWhitespace()
            elements.push(try parseValue())
            skipWhitespace()
            guard index < count else { throw failure("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw failure("expected ',' or ']'")
        }
        depth -= 1
        return .array(elements.popArray(from: start, extra: 0))
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        // Most numbers in OneBot documents are IDs, counts and times: short integers, read a word at a time.
        if let (end, value) = JSONByteScan.plainInteger(bytes, from: index, count: count) {
            index = end
            return .int(value)
        }
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, isDigit(bytes[index]) else { throw failure("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < count, isDigit(bytes[index]) else { throw failure("invalid fraction") }
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < count, isDigit(bytes[index]) else { throw failure("invalid exponent") }
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        if isInteger, let value = JSONValue.exactInteger(UnsafeBufferPointer(start: bytes + start, count: index - start)) {
            return .int(value)
        }
        guard let value = Double(Self.string(bytes, start..<index)) else { throw failure("number out of range") }
        return .double(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
