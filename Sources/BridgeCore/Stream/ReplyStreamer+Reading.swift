extension ReplyStreamer {
    mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func enter() throws(StreamBail) {
        depth += 1
        // One below the parser's limit: the tree path must be the one to refuse a document that deep.
        guard depth < JSONParser.maximumDepth else { throw StreamBail() }
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Reads an object from its `{`: `body` gets each key (checked: unescaped, not repeated in this object)
    /// with the reader at the value's first byte, and must read the value. Nesting depth is kept here.
    @inline(__always)
    mutating func readObject(_ body: (inout ReplyStreamer, Range<Int>) throws(StreamBail) -> Void) throws(StreamBail) {
        try enter()
        index += 1
        // Room for typical nesting at the first object, so the list does not grow key by key (a malloc each).
        if keys.capacity == 0 { keys.reserveCapacity(16) }
        let mark = keyCount
        var seen: UInt64 = 0
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            repeat {
                skipWhitespace()
                let key = try readKey(seen: &seen, from: mark)
                skipWhitespace()
                guard index < count, bytes[index] == UInt8(ascii: ":") else { throw StreamBail() }
                index += 1
                skipWhitespace()
                guard index < count else { throw StreamBail() }
                try body(&self, key)
            } while try nextMember(closing: UInt8(ascii: "}"))
        }
        keyCount = mark
        depth -= 1
    }

    /// After a member or element: true past a comma, false past the closing bracket.
    @inline(__always)
    mutating func nextMember(closing: UInt8) throws(StreamBail) -> Bool {
        skipWhitespace()
        guard index < count else { throw StreamBail() }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return true
        }
        guard bytes[index] == closing else { throw StreamBail() }
        index += 1
        return false
    }

    /// An object key, without its quotes, checked against the other keys of its object (from `mark` in
    /// `keys`); a key with an escape, or one seen before, gives up.
    mutating func readKey(seen: inout UInt64, from mark: Int) throws(StreamBail) -> Range<Int> {
        guard index < count, bytes[index] == UInt8(ascii: "\"") else { throw StreamBail() }
        let key = try readString(isKey: true)
        let hash = key.isEmpty ? 0 : key.count &* 7 &+ Int(bytes[key.lowerBound]) &* 3 &+ Int(bytes[key.upperBound - 1])
        let bit: UInt64 = 1 << UInt64(hash & 63)
        if seen & bit != 0 {
            for earlier in keys[mark..<keyCount] where earlier.count == key.count
                && memoryEqual(bytes + earlier.lowerBound, bytes + key.lowerBound, key.count) {
                throw StreamBail()
            }
        }
        seen |= bit
        if keyCount < keys.count { keys[keyCount] = key } else { keys.append(key) }
        keyCount += 1
        return key
    }

    /// A string from its opening quote; returns the range between the quotes. Escapes are checked and kept
    /// (none in keys, and no surrogate escapes: those take the tree path); UTF-8 is validated.
    mutating func readString(isKey: Bool) throws(StreamBail) -> Range<Int> {
        let end = try Self.scanString(bytes, count, from: index, isKey: isKey)
        defer { index = end + 1 }
        return index + 1..<end
    }

    /// `readString` on a position rather than the reader, so a caller can keep its position in a register:
    /// returns the position of the closing quote.
    @inline(__always)
    static func scanString(_ bytes: UnsafePointer<UInt8>, _ count: Int, from quote: Int, isKey: Bool)
        throws(StreamBail) -> Int {
        let start = quote &+ 1
        // Empty strings are common in QQ replies (unset remarks, emails, phone numbers): no word to scan.
        if start < count, bytes[start] == UInt8(ascii: "\"") { return start }
        var position = start
        var high: UInt64 = 0
        while true {
            position = JSONByteScan.plainRunEnd(bytes, from: position, count: count, high: &high)
            guard position < count else { throw StreamBail() }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            guard byte == UInt8(ascii: "\\"), !isKey, position + 1 < count else { throw StreamBail() }
            position = try skipEscape(bytes, count, at: position)
        }
        if high & 0x8080_8080_8080_8080 != 0, !isValidUTF8(bytes, start..<position) { throw StreamBail() }
        return position
    }

    /// Past the escape whose backslash is at `position`, checked.
    private static func skipEscape(_ bytes: UnsafePointer<UInt8>, _ count: Int, at position: Int) throws(StreamBail) -> Int {
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return position + 2
        case UInt8(ascii: "u"):
            guard position + 6 <= count else { throw StreamBail() }
            var scalar: UInt32 = 0
            for offset in 2..<6 {
                guard let digit = hexValue(bytes[position + offset]) else { throw StreamBail() }
                scalar = scalar << 4 | digit
            }
            guard !(0xD800..<0xE000).contains(scalar) else { throw StreamBail() }
            return position + 6
        default:
            throw StreamBail()
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Strict UTF-8 (no overlong forms, surrogates or values past U+10FFFF): what `String` keeps unrepaired.
    static func isValidUTF8(_ bytes: UnsafePointer<UInt8>, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        func continuation(_ offset: Int) -> Bool { index + offset < end && bytes[index + offset] & 0xC0 == 0x80 }
        while index < end {
            let lead = bytes[index]
            switch lead {
            case 0..<0x80:
                index += 1
            case 0xC2..<0xE0:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0..<0xF0:
                guard continuation(1), continuation(2) else { return false }
                let second = bytes[index + 1]
                if lead == 0xE0, second < 0xA0 { return false }
                if lead == 0xED, second >= 0xA0 { return false }
                index += 3
            case 0xF0..<0xF5:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let second = bytes[index + 1]
                if lead == 0xF0, second < 0x90 { return false }
                if lead == 0xF4, second >= 0x90 { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// A number's range, and its value when it is an integer. An exponent, or an integer past Int64, gives
    /// up: the tree path reads those as doubles and would write them differently.
    mutating func readNumber() throws(StreamBail) -> (Range<Int>, Int64?) {
        let (end, integer) = try Self.scanNumber(bytes, count, from: index)
        defer { index = end }
        return (index..<end, integer)
    }

    /// `readNumber` on a position: where the number ends, and its value when it is an integer.
    @inline(__always)
    static func scanNumber(_ bytes: UnsafePointer<UInt8>, _ count: Int, from start: Int)
        throws(StreamBail) -> (end: Int, integer: Int64?) {
        var position = start
        let isNegative = bytes[position] == UInt8(ascii: "-")
        if isNegative { position &+= 1 }
        guard position < count, bytes[position] &- UInt8(ascii: "0") < 10 else { throw StreamBail() }
        // The value is read while the digits are scanned; 18 digits cannot overflow, longer ones are read
        // again by `exactInteger`, which knows Int64's limits.
        var magnitude: UInt64 = 0
        let digitsStart = position
        if bytes[position] == UInt8(ascii: "0") {
            position &+= 1
        } else {
            (position, magnitude) = JSONByteScan.digitRun(bytes, from: position, count: count)
        }
        let digits = position &- digitsStart
        if position < count {
            let next = bytes[position]
            if next == UInt8(ascii: ".") {
                position &+= 1
                guard position < count, bytes[position] &- UInt8(ascii: "0") < 10 else { throw StreamBail() }
                while position < count, bytes[position] &- UInt8(ascii: "0") < 10 { position &+= 1 }
                if position < count, bytes[position] | 0x20 == UInt8(ascii: "e") { throw StreamBail() }
                return (position, nil)
            }
            if next | 0x20 == UInt8(ascii: "e") { throw StreamBail() }
        }
        if digits <= 18 {
            let value = Int64(magnitude)
            return (position, isNegative ? -value : value)
        }
        guard let value = JSONValue.exactInteger(UnsafeBufferPointer(start: bytes + start, count: position - start)) else {
            throw StreamBail()
        }
        return (position, value)
    }

    /// A string, number or literal, read and checked; what it is, for the rules.
    mutating func readScalar() throws(StreamBail) -> StreamMember.Kind {
        let (end, kind) = try Self.scanScalar(bytes, count, from: index)
        index = end
        return kind
    }

    /// `readScalar` on a position: where the scalar ends, and what it is.
    @inline(__always)
    static func scanScalar(_ bytes: UnsafePointer<UInt8>, _ count: Int, from start: Int)
        throws(StreamBail) -> (end: Int, kind: StreamMember.Kind) {
        guard start < count else { throw StreamBail() }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return (try scanString(bytes, count, from: start, isKey: false) &+ 1, .other)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let (end, integer) = try scanNumber(bytes, count, from: start)
            return (end, integer.map { .integer($0) } ?? .other)
        case UInt8(ascii: "t"):
            return (try scanLiteral(bytes, count, from: start, "true"), .other)
        case UInt8(ascii: "f"):
            return (try scanLiteral(bytes, count, from: start, "false"), .other)
        case UInt8(ascii: "n"):
            return (try scanLiteral(bytes, count, from: start, "null"), .null)
        default:
            throw StreamBail()
        }
    }

    private static func scanLiteral(_ bytes: UnsafePointer<UInt8>, _ count: Int, from start: Int,
                                    _ literal: StaticString) throws(StreamBail) -> Int {
        let length = literal.utf8CodeUnitCount
        guard count - start >= length, memoryEqual(bytes + start, literal.utf8Start, length) else { throw StreamBail() }
        return start + length
    }

    /// A number where one must be, or give up.
    mutating func readNumberIfAny() throws(StreamBail) -> (Range<Int>, Int64?) {
        guard bytes[index] == UInt8(ascii: "-") || isDigit(bytes[index]) else { throw StreamBail() }
        return try readNumber()
    }

    /// Moves past a container from its bracket, following only strings and brackets: about a fifth of the work
    /// of `skipValue`, for a value that is read in full later anyway. Gives up on an unterminated one.
    mutating func skipUnchecked() throws(StreamBail) {
        var level = 0
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                var position = index + 1
                while true {
                    var high: UInt64 = 0
                    position = JSONByteScan.plainRunEnd(bytes, from: position, count: count, high: &high)
                    guard position < count else { throw StreamBail() }
                    if bytes[position] == UInt8(ascii: "\"") { break }
                    // A backslash skips the byte it escapes; a control byte is left for the full read to refuse.
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
                index = position
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                level += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                level -= 1
                if level == 0 {
                    index += 1
                    return
                }
            default:
                break
            }
            index += 1
        }
        throw StreamBail()
    }

    /// Reads and checks a member's value without writing it: what it is, for the rules.
    mutating func readMemberValue() throws(StreamBail) -> StreamMember.Kind {
        guard bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else { return try readScalar() }
        try skipValue()
        return .container
    }

    /// Reads and checks a value without writing it.
    mutating func skipValue() throws(StreamBail) {
        guard index < count else { throw StreamBail() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try readObject { reader, _ throws(StreamBail) in try reader.skipValue() }
        case UInt8(ascii: "["):
            try enter()
            index += 1
            skipWhitespace()
            if index < count, bytes[index] == UInt8(ascii: "]") {
                index += 1
            } else {
                repeat {
                    skipWhitespace()
                    try skipValue()
                } while try nextMember(closing: UInt8(ascii: "]"))
            }
            depth -= 1
        default:
            _ = try readScalar()
        }
    }
}
