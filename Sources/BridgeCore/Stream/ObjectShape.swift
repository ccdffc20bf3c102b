/// How an object the rules apply to is written, worked out once for its shape: its bytes between values
/// (whitespace, commas, keys, colons) and the sort of each value. The elements of a list nearly always share one
/// shape (one serializer wrote them), and the rules' outcome depends on nothing else, so from the second element on
/// an object is read against the shape and written by its steps: one compare per member for everything but the
/// value, and none of the member list, the rules' searches or the repeated-key check (the shape's bytes were
/// checked once).
///
/// A shape owns everything it points to (its prefixes and suffix are copied out of the reply), so it can be kept
/// for the next reply (`ShapeMemo`) and read by several threads: it never changes after `init`.
final class ObjectShape: @unchecked Sendable {
    /// What decides the rules' outcome about a value: null or not (defaults), integer or not (ID quoting,
    /// `convert`), string or another scalar (`convert` gives up on the latter), container (quoting inside).
    enum Sort: UInt8 {
        case null, integer, string, otherScalar, container
    }

    struct Member {
        /// The bytes from the end of the value before (or the `{`) to this value: a comma, the key, the colon.
        /// Given pointing into the reply; the shape keeps its own copy (`bytes`).
        let prefix: StreamBytes
        let sort: Sort
    }

    /// What a list element is read and written by: one pointer to plain values, so that holding and reading it
    /// retains nothing (a class reference held per element is retained and released, two atomic operations) and
    /// passing it copies one word. It is valid while this shape lives.
    struct View {
        fileprivate let layout: UnsafePointer<Layout>

        var members: UnsafeBufferPointer<Member> { layout.pointee.members }
        var suffix: StreamBytes { layout.pointee.suffix }
        var steps: UnsafeBufferPointer<WriteStep> { layout.pointee.steps }
        var literals: UnsafePointer<UInt8> { layout.pointee.literals }
        var fixedBytes: Int { layout.pointee.fixedBytes }
        var copied: UnsafeBufferPointer<Int> { layout.pointee.copied }
        var pieces: UnsafeBufferPointer<Piece> { layout.pointee.pieces }
    }

    /// The shape's parts, in one allocation a `View` points to.
    struct Layout {
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
        /// The steps as `writeShaped` writes them.
        let pieces: UnsafeBufferPointer<Piece>
    }

    /// A step as bytes to store, worked out once from the step and the sort of the value it writes, so that
    /// writing an element switches over one byte instead of the step's case and the value's kind.
    struct Piece {
        enum Mode: UInt8 {
            /// Fields `first...last` from `offset` bytes before the first's value (its key) to the last's end, after a
            /// comma if `comma`: a run of members as they came, or one value copied (`offset` 0).
            case span
            /// `last` bytes of the literals from `first`.
            case literal
            /// Field `first`'s integer between quotes.
            case quotedID
            /// Step `first`, written by `write(_:literals:)`.
            case step
        }

        let mode: Mode
        let comma: Bool
        let first: Int
        let last: Int
        let offset: Int
    }

    let view: View
    private let layout: UnsafeMutablePointer<Layout>
    private let members: UnsafeMutableBufferPointer<Member>
    /// The members' prefixes and the suffix, copied from the reply.
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let steps: UnsafeMutableBufferPointer<WriteStep>
    private let copied: UnsafeMutableBufferPointer<Int>
    private let pieces: UnsafeMutableBufferPointer<Piece>
    /// Kept as the folding wrote them (`foldedLiterals`), not copied.
    private let literals: SerializedBytes

    /// `quotesContainers`: containers are read again when written, for the IDs inside (`writeMemberValue`).
    init(members: [Member], suffix: StreamBytes, steps: [WriteStep], literals: SerializedBytes,
         quotesContainers: Bool) {
        let size = members.reduce(suffix.count) { $0 + $1.prefix.count }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
        self.bytes = bytes
        var kept = 0
        func keep(_ text: StreamBytes) -> StreamBytes {
            let start = bytes.baseAddress! + kept
            start.initialize(from: text.start, count: text.count)
            kept += text.count
            return StreamBytes(start: start, count: text.count)
        }
        self.members = .allocate(capacity: members.count)
        _ = self.members.initialize(from: members.map { Member(prefix: keep($0.prefix), sort: $0.sort) })
        let suffix = keep(suffix)
        self.steps = .allocate(capacity: steps.count)
        _ = self.steps.initialize(from: steps)
        self.literals = literals
        var fixedBytes = 2
        // At most one of each per step; filled in place, as this runs once per shape, which is once per list.
        let copied = UnsafeMutableBufferPointer<Int>.allocate(capacity: steps.count)
        var copiedCount = 0
        pieces = .allocate(capacity: steps.count)
        for (index, step) in steps.enumerated() {
            let piece: Piece
            switch step {
            case .run(let first, let last, let keyOffset, let comma):
                fixedBytes += comma ? 1 : 0
                piece = Piece(mode: .span, comma: comma, first: first, last: last, offset: keyOffset)
            case .literal(let range):
                fixedBytes += range.count
                piece = Piece(mode: .literal, comma: false, first: range.lowerBound, last: range.count, offset: 0)
            case .value(let source, let kind, let isID):
                fixedBytes += 2
                copied[copiedCount] = source
                copiedCount += 1
                switch (kind, members[source].sort) {
                case (nil, .integer) where isID:
                    piece = Piece(mode: .quotedID, comma: false, first: source, last: source, offset: 0)
                case (nil, .container) where quotesContainers, (.some, _):
                    piece = Piece(mode: .step, comma: false, first: index, last: index, offset: 0)
                case (nil, _):
                    piece = Piece(mode: .span, comma: false, first: source, last: source, offset: 0)
                }
            // Not in a shape's steps (`foldedLiterals` makes them literals); written as steps if they were.
            case .key, .constant:
                piece = Piece(mode: .step, comma: false, first: index, last: index, offset: 0)
            }
            (pieces.baseAddress! + index).initialize(to: piece)
        }
        self.copied = copied
        layout = .allocate(capacity: 1)
        layout.initialize(to: Layout(members: UnsafeBufferPointer(self.members), suffix: suffix,
                                     steps: UnsafeBufferPointer(self.steps), literals: literals.start,
                                     fixedBytes: fixedBytes,
                                     copied: UnsafeBufferPointer(rebasing: copied[..<copiedCount]),
                                     pieces: UnsafeBufferPointer(pieces)))
        view = View(layout: layout)
    }

    deinit {
        layout.deallocate()
        bytes.deallocate()
        members.deallocate()
        steps.deallocate()
        copied.deallocate()
        pieces.deallocate()
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
