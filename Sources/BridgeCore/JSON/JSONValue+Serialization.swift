extension JSONValue {
    /// Compact UTF-8 JSON, keys in stored order. Pure.
    package func serialized() -> [UInt8] {
        withSerialized(capacity: 1024) { Array($0) }
    }

    /// Compact UTF-8 JSON lent to `body`: for a caller that copies it on anyway, one buffer fewer than
    /// `serialized()`. Every serialization goes through here.
    package func withSerialized<R>(capacity: Int = 256, sortedKeys: Bool = false,
                                   _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var writer = JSONWriter(capacity: capacity)
        write(to: &writer, sortedKeys: sortedKeys)
        return writer.withBytes(body)
    }

    /// Compact JSON with keys sorted at every level: the canonical form used to compare goldens.
    package func canonicalText() -> String {
        withSerialized(capacity: 1024, sortedKeys: true) { String(decoding: $0, as: UTF8.self) }
    }

    /// `text` as the inside of a JSON string (escaped, without the quotes), for pieces written into a string
    /// assembled elsewhere.
    package static func escapedContent(of text: String) -> [UInt8] {
        JSONValue.string(text).withSerialized { Array($0.dropFirst().dropLast()) }
    }

    /// Compact JSON text in stored key order.
    package var jsonText: String { withSerialized { String(decoding: $0, as: UTF8.self) } }

    package func write(to output: inout [UInt8], sortedKeys: Bool) {
        withSerialized(sortedKeys: sortedKeys) { output.append(contentsOf: $0) }
    }

    func write(to output: inout JSONWriter, sortedKeys: Bool) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): Self.writeInteger(value, to: &output)
        case .double(let value):
            // JSON has no NaN or infinity; null is the conventional stand-in.
            if value.isFinite {
                var text = value.description
                text.withUTF8 { output.reserve($0.count); output.put($0) }
            } else {
                output.append("null")
            }
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            // Indices, not iteration: element reads then avoid a retain and release each.
            for index in elements.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                elements[index].write(to: &output, sortedKeys: sortedKeys)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let entries = sortedKeys ? object.entries.sorted { $0.key < $1.key } : object.entries
            for index in entries.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(entries[index].key, to: &output)
                output.append(UInt8(ascii: ":"))
                entries[index].value.write(to: &output, sortedKeys: sortedKeys)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits straight into the output, without an intermediate String.
    static func writeInteger(_ value: Int64, to output: inout JSONWriter) {
        withDecimalDigits(value) { digits in
            output.reserve(digits.count)
            output.put(digits)
        }
    }

    static func writeString(_ string: String, to output: inout JSONWriter) {
        var string = string
        string.withUTF8 { bytes in
            // Worst case: every byte a six-byte \u00XX escape, plus the quotes.
            output.reserve(bytes.count * 6 + 2)
            var out = output.cursor
            out.pointee = UInt8(ascii: "\"")
            out += 1
            if let start = bytes.baseAddress {
                out = writeEscaped(start, count: bytes.count, to: out)
            }
            out.pointee = UInt8(ascii: "\"")
            output.advance(to: out + 1)
        }
    }

    /// Copies plain runs eight bytes at a time (OneBot text is mostly such runs) and escapes the rest.
    @inline(__always)
    private static func writeEscaped(_ start: UnsafePointer<UInt8>, count: Int, to output: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        var next = start
        var out = output
        let end = start + count
        while end - next >= 8 {
            let word = JSONByteScan.word(at: next)
            let offset = JSONByteScan.firstSpecialByte(word)
            UnsafeMutableRawPointer(out).storeBytes(of: word.littleEndian, as: UInt64.self)
            out += offset
            next += offset
            if offset < 8 {
                out = writeEscaped(next.pointee, at: out)
                next += 1
            }
        }
        if next < end, count >= 8 {
            // The last eight bytes overlap what is already written; if none of them needs escaping, the
            // overlapped ones were copied as they are, so the word can be written over them.
            let word = JSONByteScan.word(at: end - 8)
            if JSONByteScan.firstSpecialByte(word) == 8 {
                let back = 8 - (end - next)
                UnsafeMutableRawPointer(out - back).storeBytes(of: word.littleEndian, as: UInt64.self)
                return out - back + 8
            }
        }
        while next < end {
            out = writeEscaped(next.pointee, at: out)
            next += 1
        }
        return out
    }

    /// Writes `byte`, escaped if JSON requires it, and returns the position after it.
    @inline(__always)
    private static func writeEscaped(_ byte: UInt8, at out: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
            out.pointee = byte
            return out + 1
        }
        out[0] = 0x5C
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[1] = byte
        case 0x0A: out[1] = UInt8(ascii: "n")
        case 0x0D: out[1] = UInt8(ascii: "r")
        case 0x09: out[1] = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            out[1] = UInt8(ascii: "u")
            out[2] = 0x30
            out[3] = 0x30
            out[4] = hex.utf8Start[Int(byte >> 4)]
            out[5] = hex.utf8Start[Int(byte & 0xF)]
            return out + 6
        }
        return out + 2
    }
}
