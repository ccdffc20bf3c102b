import BridgeCore
import NIOCore

/// Writes a message whose size is known up front into one ByteBuffer through one pointer.
///
/// Why: ByteBuffer's `write…` calls each check capacity and uniqueness and enter an exclusivity scope;
/// writing a request or response head piece by piece that way was 8 % of a proxied call's instructions.
struct RawByteWriter {
    private(set) var cursor: UnsafeMutablePointer<UInt8>

    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        cursor.update(from: source, count: bytes.count)
        cursor += bytes.count
    }

    mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { put($0) }
    }

    mutating func put(_ byte: UInt8) {
        cursor.pointee = byte
        cursor += 1
    }

    /// An integer's decimal digits (at most 20 bytes).
    mutating func putDecimal(_ value: Int) {
        JSONValue.withDecimalDigits(Int64(value)) { put($0) }
    }
}

extension ByteBuffer {
    private static let allocator = ByteBufferAllocator()

    /// A new buffer holding what `body` writes, which must be at most `capacity` bytes.
    static func written(capacity: Int, _ body: (inout RawByteWriter) -> Void) -> ByteBuffer {
        // Allocated at its size: an empty `ByteBuffer()` reserved afterwards copies and rebases its storage first.
        var buffer = Self.allocator.buffer(capacity: capacity)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { raw in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var writer = RawByteWriter(cursor: start)
            body(&writer)
            precondition(start.distance(to: writer.cursor) <= capacity, "RawByteWriter overran its capacity")
            return start.distance(to: writer.cursor)
        }
        return buffer
    }
}
