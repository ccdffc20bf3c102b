/// A member of the object being written: where its value is in the reply, what the value is, and (from the
/// full read, for `compileSteps`) where its key starts.
struct ShapeField {
    var keyQuote: Int
    var value: Range<Int>
    var kind: StreamMember.Kind
}

/// The members of the object being written, in storage the streamer owns: written through a pointer, with no
/// uniqueness check per member as an array's would make, in the loop that reads a list. Allocated on first use.
struct ShapeFields: ~Copyable {
    private var storage: UnsafeMutablePointer<ShapeField>?
    private var capacity = 0
    private(set) var count = 0

    init() {}

    deinit {
        storage?.deinitialize(count: count)
        storage?.deallocate()
    }

    subscript(position: Int) -> ShapeField {
        get { storage.unsafelyUnwrapped[position] }
        set { storage.unsafelyUnwrapped[position] = newValue }
    }

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
