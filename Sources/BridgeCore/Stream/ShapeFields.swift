/// A member of the object being written: where its value is in the reply, what the value is, and (from the
/// full read, for `compileSteps`) where its key starts.
struct ShapeField {
    var keyQuote: Int
    var value: Range<Int>
    var kind: StreamMember.Kind
    /// Whether the value has been the same in every element of its list so far (a list's next element tries to
    /// take it as it stands only then): a field that changed from one element to the next usually changes again.
    var repeats = true
}

/// The members of the object being written, in storage the streamer owns: written through a pointer, with no
/// uniqueness check per member as an array's would make, in the loop that reads a list. Allocated on first use.
struct ShapeFields: ~Copyable {
    private var storage: UnsafeMutablePointer<ShapeField>?
    private var capacity = 0
    private(set) var count = 0
    /// Where the object these members belong to starts (its `{`): a list's next element is compared with it.
    var object = 0
    /// How the next element of the list is read (`readShaped`).
    var reading = Reading.comparing

    enum Reading {
        /// Against the element before (`readComparing`): some member has been the same in every element so far
        /// (`ShapeField.repeats`).
        case comparing
        /// As the shape says (`readScanning`): every member has differed once.
        case scanning
        /// As the shape says, and then against the element before: the first element, read against a shape
        /// kept from an earlier reply (`prime`), has no element before.
        case first
    }

    init() {}

    deinit {
        storage?.deinitialize(count: count)
        storage?.deallocate()
    }

    subscript(position: Int) -> ShapeField {
        get { storage.unsafelyUnwrapped[position] }
        set { storage.unsafelyUnwrapped[position] = newValue }
    }

    /// The members' storage, for a loop that calls out between its reads (which would reload it through `self`).
    /// Valid until the next `append`.
    var pointer: UnsafeMutablePointer<ShapeField> { storage.unsafelyUnwrapped }

    mutating func append(_ field: ShapeField) {
        if count == capacity {
            let larger = UnsafeMutablePointer<ShapeField>.allocate(capacity: max(16, capacity * 2))
            if let storage {
                larger.moveInitialize(from: storage, count: count)
                storage.deallocate()
            }
            storage = larger
            capacity = max(16, capacity * 2)
        }
        (storage.unsafelyUnwrapped + count).initialize(to: field)
        count += 1
    }

    mutating func removeAll() {
        storage?.deinitialize(count: count)
        count = 0
        reading = .comparing
    }

    /// Makes room for the members of a list's first element, read against a kept shape.
    mutating func prime(count: Int) {
        removeAll()
        for _ in 0..<count { append(ShapeField(keyQuote: 0, value: 0..<0, kind: .null)) }
        reading = .first
    }

    /// The first member passing `test`; the caller knows there is one.
    func first(where test: (ShapeField) -> Bool) -> Int {
        var position = 0
        while !test(storage.unsafelyUnwrapped[position]) { position += 1 }
        return position
    }

    func map<T>(_ transform: (ShapeField) -> T) -> [T] {
        (0..<count).map { transform(storage.unsafelyUnwrapped[$0]) }
    }
}
