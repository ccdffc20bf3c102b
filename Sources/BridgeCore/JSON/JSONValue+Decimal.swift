extension JSONValue {
    /// `String(value)` without the generic `description` path, which cost more than the rest of turning an
    /// ID into a string. Same text: optional minus, decimal digits.
    package static func decimalText(_ value: Int64) -> String {
        withDecimalDigits(value) { digits in
            // The exact length: a capacity past 15 bytes would allocate even for a short result.
            String(unsafeUninitializedCapacity: digits.count) { target in
                _ = target.initialize(from: digits)
                return digits.count
            }
        }
    }

    /// Calls `body` with `value`'s decimal text (optional minus, digits), written on the stack. The one
    /// place integers become digits: JSON output, ID strings and HTTP lengths all go through it.
    @inline(__always)
    package static func withDecimalDigits<Result>(_ value: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> Result)
        -> Result
    {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { buffer in
            // Negative magnitude, so Int64.min needs no special case.
            var rest = value < 0 ? value : -value
            var start = 24
            repeat {
                start -= 1
                buffer[start] = UInt8(truncatingIfNeeded: -(rest % 10)) + UInt8(ascii: "0")
                rest /= 10
            } while rest != 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            let text = buffer.bindMemory(to: UInt8.self)
            return body(UnsafeBufferPointer(rebasing: text[start...]))
        }
    }

    /// Decimal digits with an optional minus as an exact Int64; nil for anything else (no digits, another
    /// byte, a value past Int64). The one place text becomes an integer: the JSON parser, the streaming
    /// reply reader and ID params all go through it.
    @inline(__always)
    package static func exactInteger(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let first = text.first else { return nil }
        let isNegative = first == UInt8(ascii: "-")
        let digits = text.dropFirst(isNegative ? 1 : 0)
        guard !digits.isEmpty else { return nil }
        // Accumulated negatively, so Int64.min is representable.
        var value: Int64 = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        if isNegative { return value }
        return value == .min ? nil : -value
    }
}
