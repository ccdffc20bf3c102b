/// How an object the rules apply to is written, worked out once for its shape: its bytes between values
/// (whitespace, commas, keys, colons) and the sort of each value. The elements of a list nearly always share one
/// shape (one serializer wrote them), and the rules' outcome depends on nothing else, so from the second element on
/// an object is read against the shape and written by its steps: one compare per member for everything but the
/// value, and none of the member list, the rules' searches or the repeated-key check (the shape's bytes were
/// checked once).
final class ObjectShape {
    enum Step {
        /// Members `first...last` as they came: from the opening quote of the first's key (`keyOffset` bytes
        /// before its value) to the end of the last's value, commas and all.
        case run(first: Int, last: Int, keyOffset: Int)
        /// Bytes of `literals`: braces, commas, keys with their colon, constants.
        case literal(Range<Int>)
        /// The value of member `source`; `kind` replaces the value's own when a rule changed how it is written.
        case value(source: Int, kind: StreamMember.Kind?, isID: Bool)
    }

    /// What decides the rules' outcome about a value: null or not (defaults), integer or not (ID quoting,
    /// `convert`), string or another scalar (`convert` gives up on the latter), container (quoting inside).
    enum Sort: UInt8 {
        case null, integer, string, otherScalar, container
    }

    struct Member {
        /// The bytes from the end of the value before (or the `{`) to this value: a comma, the key, the colon.
        /// They point into the reply, which outlives the streamer.
        let prefix: StreamBytes
        let sort: Sort
    }

    let members: [Member]
    /// The bytes from the last value through the `}`.
    let suffix: StreamBytes
    let steps: [Step]
    /// Kept as a pointer so that writing needs no closure around the streamer.
    let literals: UnsafeMutableBufferPointer<UInt8>

    init(members: [Member], suffix: StreamBytes, steps: [Step], literals: [UInt8]) {
        self.members = members
        self.suffix = suffix
        self.steps = steps
        self.literals = .allocate(capacity: literals.count)
        _ = self.literals.initialize(from: literals)
    }

    deinit { literals.deallocate() }
}

/// A member of the object being written: where its value is in the reply, what the value is, and (from the
/// full read, for `compileShape`) where its key starts.
struct ShapeField {
    var keyQuote: Int
    var value: Range<Int>
    var kind: StreamMember.Kind
}

/// The members of the object being written, in storage the streamer owns: written through a pointer, with no
/// uniqueness check per member as an array's would make, in the loop that reads a list.
struct ShapeFields: ~Copyable {
    private var storage: UnsafeMutablePointer<ShapeField>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 16
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(position: Int) -> ShapeField {
        get { storage[position] }
        set { storage[position] = newValue }
    }

    mutating func append(_ field: ShapeField) {
        if count == capacity {
            let larger = UnsafeMutablePointer<ShapeField>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = larger
            capacity *= 2
        }
        (storage + count).initialize(to: field)
        count += 1
    }

    mutating func removeAll() {
        storage.deinitialize(count: count)
        count = 0
    }

    /// The first member passing `test`; the caller knows there is one.
    func first(where test: (ShapeField) -> Bool) -> Int {
        var position = 0
        while !test(storage[position]) { position += 1 }
        return position
    }

    func map<T>(_ transform: (ShapeField) -> T) -> [T] {
        (0..<count).map { transform(storage[$0]) }
    }
}

/// The steps of an `ObjectShape` as `compileShape` works them out: members copied as they came gather into
/// runs, and literal bytes written next to each other into one step.
struct ShapeStepsBuilder {
    private(set) var steps: [ObjectShape.Step] = []
    private(set) var literals: [UInt8] = []
    private var run: (first: Int, last: Int, keyOffset: Int)?

    /// Extends the pending run when member `first` follows it in the reply.
    mutating func extendRun(first: Int, last: Int) -> Bool {
        guard let pending = run, first == pending.last + 1 else { return false }
        run = (pending.first, last, pending.keyOffset)
        return true
    }

    mutating func startRun(first: Int, last: Int, keyOffset: Int) {
        flush()
        run = (first, last, keyOffset)
    }

    mutating func literal(_ bytes: UnsafeBufferPointer<UInt8>) {
        flush()
        if case .literal(let range) = steps.last {
            steps[steps.count - 1] = .literal(range.lowerBound..<range.upperBound + bytes.count)
        } else {
            steps.append(.literal(literals.count..<literals.count + bytes.count))
        }
        literals.append(contentsOf: bytes)
    }

    mutating func literal(_ byte: UInt8) {
        withUnsafePointer(to: byte) { literal(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    mutating func value(source: Int, kind: StreamMember.Kind?, isID: Bool) {
        flush()
        steps.append(.value(source: source, kind: kind, isID: isID))
    }

    private mutating func flush() {
        guard let pending = run else { return }
        steps.append(.run(first: pending.first, last: pending.last, keyOffset: pending.keyOffset))
        run = nil
    }
}

extension ReplyStreamer {
    static func sort(of kind: StreamMember.Kind, firstByte: UInt8) -> ObjectShape.Sort {
        switch kind {
        case .null: .null
        case .integer: .integer
        case .container: .container
        case .other, .integerText, .cqText: firstByte == UInt8(ascii: "\"") ? .string : .otherScalar
        }
    }

    /// Reads an object from its `{` into `fields` if it has exactly `shape`'s bytes between values, and values
    /// of the same sorts; otherwise leaves `index` where it was and returns false. A malformed value gives up, as
    /// the full read would. The position is kept in a local until the end: this loop is most of a list's cost.
    mutating func readShaped(_ shape: ObjectShape) throws(StreamBail) -> Bool {
        guard !shape.members.isEmpty, fields.count == shape.members.count else { return false }
        try enter()
        defer { depth -= 1 }
        let start = index
        if try readMembers(of: shape) { return true }
        // A container's read moved `index`.
        index = start
        return false
    }

    private mutating func readMembers(of shape: ObjectShape) throws(StreamBail) -> Bool {
        let bytes = self.bytes
        let count = self.count
        var position = index &+ 1
        for member in shape.members.indices {
            let expected = shape.members[member]
            let prefix = expected.prefix
            guard count &- position > prefix.count, prefix.equals(bytes + position, prefix.count) else { return false }
            position &+= prefix.count
            let valueStart = position
            let first = bytes[position]
            let kind: StreamMember.Kind
            // The sort expected picks the scanner, inlined here: a list's values are mostly strings and integers.
            switch expected.sort {
            case .string:
                guard first == UInt8(ascii: "\"") else { return false }
                position = try Self.scanString(bytes, count, from: position, isKey: false) &+ 1
                kind = .other
            case .integer:
                // Up to 18 digits with no fraction or exponent, as `scanNumber` would read them; anything else is
                // left to the full read.
                let negative = first == UInt8(ascii: "-")
                let digitsStart = negative ? position &+ 1 : position
                var end = digitsStart
                var magnitude: UInt64 = 0
                while end < count {
                    let digit = bytes[end] &- UInt8(ascii: "0")
                    guard digit < 10 else { break }
                    magnitude = magnitude &* 10 &+ UInt64(digit)
                    end &+= 1
                }
                let digits = end &- digitsStart
                guard digits > 0, digits <= 18, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0"), end < count,
                    bytes[end] != UInt8(ascii: "."), bytes[end] | 0x20 != UInt8(ascii: "e")
                else { return false }
                position = end
                kind = .integer(negative ? -Int64(magnitude) : Int64(magnitude))
            case .null, .otherScalar, .container:
                if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                    index = position
                    try skipValue()
                    position = index
                    kind = .container
                } else {
                    (position, kind) = try Self.scanScalar(bytes, count, from: position)
                }
                guard Self.sort(of: kind, firstByte: first) == expected.sort else { return false }
            }
            fields[member].value = valueStart..<position
            fields[member].kind = kind
        }
        guard count &- position >= shape.suffix.count, shape.suffix.equals(bytes + position, shape.suffix.count)
        else { return false }
        index = position &+ shape.suffix.count
        return true
    }

    /// The steps that write the rules' member list (from `base`) for any object of this one's shape (its
    /// members read into `fields`): members still in their reply places are copied in runs, the others written
    /// one by one.
    func compileShape(from base: Int, object: Range<Int>) -> ObjectShape {
        var builder = ShapeStepsBuilder()
        func source(_ test: (ShapeField) -> Bool) -> Int { fields.first(where: test) }
        builder.literal(UInt8(ascii: "{"))
        for position in base..<members.count {
            let member = members[position]
            if member.place >= 0, case .raw(let key) = member.key, case .raw(let value, let kind) = member.value,
                isPlain(kind, key: key) {
                let first = source { $0.keyQuote == key.lowerBound - 1 }
                let last = source { $0.value.upperBound == value.upperBound }
                if !builder.extendRun(first: first, last: last) {
                    if position > base { builder.literal(UInt8(ascii: ",")) }
                    builder.startRun(first: first, last: last, keyOffset: fields[first].value.lowerBound - fields[first].keyQuote)
                }
                continue
            }
            if position > base { builder.literal(UInt8(ascii: ",")) }
            let name: StreamBytes
            switch member.key {
            case .raw(let range): name = StreamBytes(start: bytes + range.lowerBound, count: range.count)
            case .name(let key): name = key
            }
            builder.literal(UInt8(ascii: "\""))
            builder.literal(name.buffer)
            builder.literal(UInt8(ascii: "\""))
            builder.literal(UInt8(ascii: ":"))
            let isID = idFields?.contains(name.start, name.count) ?? false
            switch member.value {
            case .raw(let range, let kind):
                let changed: StreamMember.Kind?
                switch kind {
                case .integerText, .cqText: changed = kind
                case .null, .integer, .container, .other: changed = nil
                }
                builder.value(source: source { $0.value.lowerBound == range.lowerBound }, kind: changed, isID: isID)
            case .constant(let constant):
                if isID, let integer = constant.integer {
                    var writer = JSONWriter(capacity: 24)
                    writer.append(UInt8(ascii: "\""))
                    JSONValue.writeInteger(integer, to: &writer)
                    writer.append(UInt8(ascii: "\""))
                    writer.withBytes { builder.literal($0) }
                } else {
                    builder.literal(constant.bytes.buffer)
                }
            }
        }
        builder.literal(UInt8(ascii: "}"))
        var previousEnd = object.lowerBound + 1
        let shapeMembers = fields.map { field in
            defer { previousEnd = field.value.upperBound }
            return ObjectShape.Member(prefix: StreamBytes(start: bytes + previousEnd, count: field.value.lowerBound - previousEnd),
                                      sort: Self.sort(of: field.kind, firstByte: bytes[field.value.lowerBound]))
        }
        return ObjectShape(members: shapeMembers,
                           suffix: StreamBytes(start: bytes + previousEnd, count: object.upperBound - previousEnd),
                           steps: builder.steps, literals: builder.literals)
    }

    /// Writes the object just read into `fields` by `shape`'s steps; `index` ends past the object.
    mutating func writeShaped(_ shape: ObjectShape) throws(StreamBail) {
        let end = index
        for step in shape.steps {
            switch step {
            case .run(let first, let last, let keyOffset):
                copy(fields[first].value.lowerBound - keyOffset..<fields[last].value.upperBound)
            case .literal(let range):
                output.reserve(range.count)
                output.put(UnsafeBufferPointer(rebasing: shape.literals[range]))
            case .value(let source, let kind, let isID):
                let field = fields[source]
                try writeMemberValue(.raw(field.value, kind ?? field.kind), isID: isID)
            }
        }
        index = end
    }
}
