extension JSONValue {
    /// `String(value)` without the generic `description` path, which cost more than the rest of turning an
    /// ID into a string. Same text: optional minus, decimal digits.
    package static func decimalText(_ value: Int64) -> String {
        String(unsafeUninitializedCapacity: 20) { buffer in
            // Negative magnitude, so Int64.min needs no special case.
            var rest = value < 0 ? value : -value
            var digits = 0
            repeat {
                buffer[19 - digits] = UInt8(truncatingIfNeeded: -(rest % 10)) + UInt8(ascii: "0")
                rest /= 10
                digits += 1
            } while rest != 0
            var start = 20 - digits
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            let length = 20 - start
            if start > 0 {
                for index in 0..<length { buffer[index] = buffer[start + index] }
            }
            return length
        }
    }
}
