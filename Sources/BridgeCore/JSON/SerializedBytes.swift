/// Bytes a `JSONWriter` wrote, kept in the writer's own allocation: handing an answer on to the transport
/// copies nothing until it goes into the response buffer. A streamed 50-friend answer is 14 KB, and an array
/// copy of it cost a 14 KB allocation and `memcpy` per call.
package final class SerializedBytes: @unchecked Sendable {
    // Immutable after init, so sharing it across threads is safe.
    private let base: UnsafeMutablePointer<UInt8>
    package let count: Int

    /// Takes ownership of `base`, which was allocated with `UnsafeMutablePointer.allocate`.
    init(taking base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { base.deallocate() }

    package func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The first byte, for a holder that keeps this object alive while it reads (an `ObjectShape`'s view).
    var start: UnsafePointer<UInt8> { UnsafePointer(base) }

    /// A copy, for callers that need an array (tests, the tree path's re-read).
    package var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

extension SerializedBytes: Equatable {
    package static func == (lhs: SerializedBytes, rhs: SerializedBytes) -> Bool {
        lhs.count == rhs.count && (lhs.count == 0 || memoryEqual(lhs.base, rhs.base, lhs.count))
    }
}
