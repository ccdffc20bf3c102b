extension JSONValue {
    /// `String(value)` without the generic `description` path, which cost more than the rest of turning an
    /// ID into a string. Same text: optional minus, decimal digits.
    package static func decimalText(_ value: Int64) -> String {
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
            // The exact length: a capacity past 15 bytes would allocate even for a short result.
            let count = 24 - start
            return String(unsafeUninitializedCapacity: count) { target in
                for offset in 0..<count { target[offset] = buffer[start + offset] }
                return count
            }
        }
    }
}
