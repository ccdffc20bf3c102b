extension JSONParser {
    /// A String from UTF-8 bytes, invalid sequences repaired. Not `String(decoding:as:)`: that costs more
    /// per call, and most strings here are short keys.
    static func string(_ bytes: UnsafePointer<UInt8>, _ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count) { buffer in
            guard let target = buffer.baseAddress else { return 0 }
            target.initialize(from: bytes + range.lowerBound, count: range.count)
            return range.count
        }
    }

    /// An object key, and its bit for the duplicate-key filter in `parseObject`: a hash of the decoded key.
    mutating func parseKey() throws(JSONParseError) -> (key: String, bit: UInt64) {
        var key = try parseString()
        let hash = key.withUTF8 { utf8 -> Int in
            guard let first = utf8.first, let last = utf8.last else { return 0 }
            return utf8.count &* 7 &+ Int(first) &* 3 &+ Int(last)
        }
        return (key, 1 << UInt64(hash & 63))
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let start = index + 1
        // Fast path: no escapes, the common case for OneBot keys and most values. (Invalid UTF-8 is repaired
        // when the String is made, so the non-ASCII flag is not needed here.)
        var passed: UInt64 = 0
        let position = JSONByteScan.plainRunEnd(bytes, from: start, count: count, high: &passed)
        if position < count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                index = position + 1
                return Self.string(bytes, start..<position)
            }
            if byte != UInt8(ascii: "\\") {
                index = position
                throw failure("control character in string")
            }
        }
        index = position
        return try parseEscapedString(from: start)
    }

    /// The slow path of `parseString`, from the first backslash.
    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        var scalars = Array(UnsafeBufferPointer(start: bytes + start, count: index - start))
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            guard byte >= 0x20 else { throw failure("control character in string") }
            if byte == UInt8(ascii: "\\") {
                try appendEscape(to: &scalars)
            } else {
                scalars.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    mutating func appendEscape(to output: inout [UInt8]) throws(JSONParseError) {
        index += 1
        guard index < count else { throw failure("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("lone surrogate") }
                index += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("lone surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid unicode escape") }
            output.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw failure("invalid escape")
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= count else { throw failure("short unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
