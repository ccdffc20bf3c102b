/// How an object the rules apply to is written, worked out once for its shape: its bytes between values
/// (whitespace, commas, keys, colons) and the sort of each value. The elements of a list nearly always share one
/// shape (one serializer wrote them), and the rules' outcome depends on nothing else, so from the second element on
/// an object is read against the shape and written by its steps: one compare per member for everything but the
/// value, and none of the member list, the rules' searches or the repeated-key check (the shape's bytes were
/// checked once).
final class ObjectShape {
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

    /// What a list element is read and written by: plain values behind pointers, so that holding and reading it
    /// retains nothing (a class reference held per element is retained and released, two atomic operations). It
    /// is valid while this shape lives.
    struct View {
        let members: UnsafeBufferPointer<Member>
        /// The bytes from the last value through the `}`.
        let suffix: StreamBytes
        let steps: UnsafeBufferPointer<WriteStep>
        /// The bytes the steps' literals are ranges of.
        let literals: UnsafePointer<UInt8>
        /// What the steps write besides the element's own bytes and the values they copy again: braces, literals,
        /// commas, quotes. With the element's length and the copied values' (`copied`, members by index), the most
        /// an element of this shape can take, reserved once (`writeShaped`).
        let fixedBytes: Int
        let copied: UnsafeBufferPointer<Int>
    }

    let view: View
    private let members: UnsafeMutableBufferPointer<Member>
    private let steps: UnsafeMutableBufferPointer<WriteStep>
    private let copied: UnsafeMutableBufferPointer<Int>
    /// Kept as the folding wrote them (`foldedLiterals`), not copied.
    private let literals: SerializedBytes

    init(members: [Member], suffix: StreamBytes, steps: [WriteStep], literals: SerializedBytes) {
        self.members = .allocate(capacity: members.count)
        _ = self.members.initialize(from: members)
        self.steps = .allocate(capacity: steps.count)
        _ = self.steps.initialize(from: steps)
        self.literals = literals
        var fixedBytes = 2
        var copied: [Int] = []
        for step in steps {
            switch step {
            case .run(_, _, _, let comma): fixedBytes += comma ? 1 : 0
            case .literal(let range): fixedBytes += range.count
            case .value(let source, _, _):
                fixedBytes += 2
                copied.append(source)
            // Not in a shape's steps (`foldedLiterals`); written through the writer's own reservations if they were.
            case .key, .constant: break
            }
        }
        self.copied = .allocate(capacity: copied.count)
        _ = self.copied.initialize(from: copied)
        view = View(members: UnsafeBufferPointer(self.members), suffix: suffix, steps: UnsafeBufferPointer(self.steps),
                    literals: literals.start, fixedBytes: fixedBytes, copied: UnsafeBufferPointer(self.copied))
    }

    deinit {
        members.deallocate()
        steps.deallocate()
        copied.deallocate()
    }
}

/// One step of writing an object the rules apply to, between its braces. Names and constants point into the
/// tables' pools or the reply, both of which outlive the streamer.
enum WriteStep {
    /// Members `first...last` as they came: from the opening quote of the first's key (`keyOffset` bytes before
    /// its value) to the end of the last's value, commas and all.
    case run(first: Int, last: Int, keyOffset: Int, comma: Bool)
    /// A key between quotes and its colon, after a comma unless it is the first.
    case key(StreamBytes, comma: Bool)
    /// The value of member `source`; `kind` replaces the value's own when a rule changed how it is written.
    case value(source: Int, kind: StreamMember.Kind?, isID: Bool)
    case constant(StreamConstant, isID: Bool)
    /// In a shape's steps, keys and constants in a row as the bytes they write, worked out once for every
    /// element of the shape: a range of the shape's literal bytes.
    case literal(Range<Int>)
}
