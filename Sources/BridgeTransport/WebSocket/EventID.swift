import Foundation
import Synchronization

/// OB12 event `id`s (onebot12.md §4.3: unique per event), written as lowercase version-4 UUIDs.
///
/// Written by hand, not `UUID().uuidString.lowercased()`: that formats through `snprintf` and asked the
/// kernel for random bytes on every event, 12 500 instructions of the bridge's ~236 000 per event
/// (callgrind, bench/README.md). An id needs to be unique, not secret: 128 random bits are drawn once per
/// process; the first half (less the version bits) stays, and a counter goes through a bijection of 62 bits
/// keyed by the second, so no two events of one process share an id and two processes almost surely differ.
package enum EventID {
    private static let seed: (high: UInt64, low: UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    package static func next() -> String {
        let count = counter.add(1, ordering: .relaxed).newValue
        // Version 4 in the high half's 13th hex digit, variant 10 in the low half's top bits.
        let high = seed.high & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        // An odd multiplier and an added constant are each a bijection modulo 2^62.
        let mixed = (count &* 0x9E37_79B9_7F4A_7C15 &+ seed.low) & 0x3FFF_FFFF_FFFF_FFFF
        let low = mixed | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            // 8-4-4-4-12 hex digits.
            func put(_ value: UInt64, digits: Range<Int>) {
                let hex: StaticString = "0123456789abcdef"
                for digit in digits {
                    if digit == 8 || digit == 12 || digit == 16 || digit == 20 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    buffer[position] = hex.utf8Start[Int(value >> UInt64(60 - (digit % 16) * 4) & 0xF)]
                    position += 1
                }
            }
            put(high, digits: 0..<16)
            put(low, digits: 16..<32)
            return position
        }
    }
}
