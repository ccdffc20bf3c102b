/// A rule's field operations in the form the streaming reply path applies them.
///
/// Only rules that rename, copy, default, set and drop keys can be applied without reading a value;
/// a rule with a value map, a conversion, a nested rule, a named transform, a key that needs escaping or
/// a constant that is an object or array has no streamed form (`init` returns nil) and its replies take
/// the tree path. Names and constants live in one allocation owned here, so applying a step copies and
/// compares plain pointers: no reference counting per key (it was a fifth of the streaming time).
final class StreamedFieldOps: Sendable {
    enum Step: Sendable {
        case rename(from: StreamBytes, to: StreamBytes)
        case copy(from: StreamBytes, to: StreamBytes)
        /// `convert: {key: string}`, the one conversion that never reads more than the value's kind.
        case stringify(StreamBytes)
        /// Only where the key is absent or null.
        case setDefault(key: StreamBytes, value: StreamConstant)
        case set(key: StreamBytes, value: StreamConstant)
        case drop(StreamBytes)
    }

    /// In `FieldOps`' order: rename → copy → convert (to string only) → default → set → drop (no maps here).
    let steps: [Step]
    /// Every key a step names: a member whose key is not here is never touched by these rules.
    let names: StreamNameSet
    private let pool: StreamBytePool

    init?(_ ops: FieldOps.Steps) {
        guard ops.valueMaps.isEmpty, ops.conversions.allSatisfy({ $0.type == .string }), ops.nested.isEmpty,
            ops.transforms.isEmpty
        else {
            return nil
        }
        let names = ops.renames.flatMap { [$0.from, $0.to] } + ops.copies.flatMap { [$0.from, $0.to] }
            + ops.conversions.map(\.key) + ops.defaults.map(\.key) + ops.sets.map(\.key) + ops.drops
        // Names are written between quotes as they are, so one that would need an escape is left to the tree.
        guard names.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C } }) else { return nil }
        let constants = ops.defaults.map(\.value) + ops.sets.map(\.value)
        guard constants.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) else { return nil }
        let pool = StreamBytePool(names.map { Array($0.utf8) } + constants.map { $0.serialized() })
        var next = 0
        func name() -> StreamBytes { defer { next += 1 }; return pool[next] }
        func constant(_ value: JSONValue) -> StreamConstant {
            StreamConstant(bytes: name(), integer: value.intValue, isNull: value.isNull)
        }
        var steps: [Step] = []
        for _ in ops.renames { steps.append(.rename(from: name(), to: name())) }
        for _ in ops.copies { steps.append(.copy(from: name(), to: name())) }
        for _ in ops.conversions { steps.append(.stringify(name())) }
        let defaultKeys = ops.defaults.map { _ in name() }
        let setKeys = ops.sets.map { _ in name() }
        let dropKeys = ops.drops.map { _ in name() }
        for (key, assignment) in zip(defaultKeys, ops.defaults) {
            steps.append(.setDefault(key: key, value: constant(assignment.value)))
        }
        for (key, assignment) in zip(setKeys, ops.sets) { steps.append(.set(key: key, value: constant(assignment.value))) }
        steps += dropKeys.map { .drop($0) }
        self.steps = steps
        self.names = StreamNameSet(names)
        self.pool = pool
    }
}

/// A constant a rule writes: its JSON text, and what the rules and ID quoting need to know of it.
struct StreamConstant: Sendable {
    var bytes: StreamBytes
    var integer: Int64?
    var isNull: Bool
}

/// Bytes inside a `StreamBytePool` (or a reply being read), valid while their owner lives.
struct StreamBytes: @unchecked Sendable {
    let start: UnsafePointer<UInt8>
    let count: Int

    @inline(__always)
    func equals(_ other: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        length == count && memoryEqual(start, other, count)
    }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }
}

/// Several byte strings in one allocation, freed with the pool.
final class StreamBytePool: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private let ranges: [Range<Int>]

    init(_ strings: [[UInt8]]) {
        // One byte more than needed, so an empty pool still has a valid base address.
        storage = .allocate(capacity: strings.reduce(1) { $0 + $1.count })
        var ranges: [Range<Int>] = []
        var offset = 0
        for string in strings {
            _ = UnsafeMutableBufferPointer(rebasing: storage[offset..<offset + string.count]).initialize(from: string)
            ranges.append(offset..<offset + string.count)
            offset += string.count
        }
        self.ranges = ranges
    }

    subscript(index: Int) -> StreamBytes {
        StreamBytes(start: UnsafePointer(storage.baseAddress! + ranges[index].lowerBound), count: ranges[index].count)
    }

    deinit { storage.deallocate() }
}
