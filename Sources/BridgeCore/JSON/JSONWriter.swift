/// A growable byte buffer for the serializer, written through a raw pointer.
///
/// Appending to `[UInt8]` byte by byte checks capacity and uniqueness on every call, which made
/// serialization the largest cost of a big reply; here each value reserves its worst case once and
/// then stores without checks.
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte; the caller has reserved room.
    @inline(__always)
    mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    /// Where the next byte goes; write through it after `reserve`, then `advance(to:)`.
    var cursor: UnsafeMutablePointer<UInt8> { base + count }

    /// Takes the bytes written through `cursor` up to `end`.
    @inline(__always)
    mutating func advance(to end: UnsafeMutablePointer<UInt8>) {
        count = end - base
    }

    /// Appends bytes; the caller has reserved room. Up to 16 bytes (keys, numbers, short values: most
    /// pieces the streaming path copies) are moved with two overlapping words, not a `memcpy` call.
    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        _ = Self.store(source, bytes.count, at: base + count)
        count += bytes.count
    }

    /// Stores `length` bytes from `source` at `target` and returns where they end: `put`'s copy, for a caller
    /// that reserved room and writes through `cursor` itself.
    @inline(__always)
    static func store(_ source: UnsafePointer<UInt8>, _ length: Int, at target: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8> {
        if length > 16 {
            target.initialize(from: source, count: length)
        } else if length >= 8 {
            let raw = UnsafeRawPointer(source)
            let head = raw.loadUnaligned(as: UInt64.self)
            let tail = raw.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self)
            UnsafeMutableRawPointer(target).storeBytes(of: head, as: UInt64.self)
            UnsafeMutableRawPointer(target).storeBytes(of: tail, toByteOffset: length &- 8, as: UInt64.self)
        } else {
            var offset = 0
            while offset < length {
                target[offset] = source[offset]
                offset &+= 1
            }
        }
        return target + length
    }

    mutating func append(_ bytes: StaticString) {
        reserve(bytes.utf8CodeUnitCount)
        put(UnsafeBufferPointer(start: bytes.utf8Start, count: bytes.utf8CodeUnitCount))
    }

    /// Forgets what was written after `mark` (a `count` read earlier).
    mutating func truncate(to mark: Int) {
        count = min(count, mark)
    }

    /// A copy of what was written from `mark` on.
    func bytes(from mark: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: base + mark, count: count - mark))
    }

    /// The bytes written so far, lent to `body` without a copy.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes written, handed over in the writer's allocation, without a copy.
    consuming func finish() -> SerializedBytes {
        let bytes = SerializedBytes(taking: base, count: count)
        discard self
        return bytes
    }

    /// The bytes written so far, as a new array. Not `Array(unsafeUninitializedCapacity:)`, whose allocation is
    /// never specialized and looks up the array's type metadata at run time (about 500 instructions a call).
    func bytes() -> [UInt8] {
        bytes(from: 0)
    }
}
