extension JSONValue {
    /// Compact UTF-8 JSON, keys in stored order. Pure.
    package func serialized() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        write(to: &output, sortedKeys: false)
        return output
    }

    /// Compact JSON with keys sorted at every level: the canonical form used to compare goldens.
    package func canonicalText() -> String {
        var output: [UInt8] = []
        write(to: &output, sortedKeys: true)
        return String(decoding: output, as: UTF8.self)
    }

    /// Compact JSON text in stored key order.
    package var jsonText: String { String(decoding: serialized(), as: UTF8.self) }

    package func write(to output: inout [UInt8], sortedKeys: Bool) {
        switch self {
        case .null: output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let value):
            if value { output.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else {
                output.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
            }
        case .int(let value): Self.writeInteger(value, to: &output)
        case .double(let value):
            // JSON has no NaN or infinity; null is the conventional stand-in.
            if value.isFinite { output.append(contentsOf: value.description.utf8) } else {
                output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
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
    static func writeInteger(_ value: Int64, to output: inout [UInt8]) {
        if value == 0 { output.append(0x30); return }
        if value == .min { output.append(contentsOf: String(value).utf8); return }
        var magnitude = value < 0 ? -value : value
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    package static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Copy runs that need no escaping in one go; OneBot text is mostly such runs.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let hex: StaticString = "0123456789abcdef"
                    output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30,
                                               hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
                }
            }
            if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
        }
        output.append(UInt8(ascii: "\""))
    }
}
