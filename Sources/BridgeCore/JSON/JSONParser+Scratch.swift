extension JSONParser {
    /// A stack of parsed members not yet in their container, shared by every open object (or array).
    ///
    /// Each container is built once at its closing bracket with its exact size, by moving its members
    /// out, instead of growing an array member by member. Starts in stack memory the caller provides
    /// and moves to the heap only when a document outgrows it.
    struct Scratch<Element>: ~Copyable {
        private var base: UnsafeMutablePointer<Element>
        private var capacity: Int
        private var ownsMemory = false
        private(set) var count = 0

        init(_ buffer: UnsafeMutableBufferPointer<Element>) {
            base = buffer.baseAddress ?? .allocate(capacity: 1)
            capacity = buffer.baseAddress == nil ? 1 : buffer.count
            ownsMemory = buffer.baseAddress == nil
        }

        deinit {
            // Members of containers left open by a parse error.
            base.deinitialize(count: count)
            if ownsMemory { base.deallocate() }
        }

        @inline(__always)
        mutating func push(_ element: consuming Element) {
            if count == capacity { grow() }
            (base + count).initialize(to: element)
            count += 1
        }

        /// The member at a stack position, for the duplicate-key check.
        @inline(__always)
        subscript(position: Int) -> Element {
            _read { yield base[position] }
            nonmutating _modify { yield &base[position] }
        }

        /// Moves the members from `start` to the top into a new array with room for `extra` more.
        mutating func popArray(from start: Int, extra: Int) -> [Element] {
            let size = count - start
            // Not `Array(unsafeUninitializedCapacity:)`: its allocation is never specialized, so each call
            // looks up the array's type metadata at run time (about 550 instructions, callgrind).
            var array = [Element]()
            array.reserveCapacity(size + extra)
            var source = base + start
            for _ in 0..<size {
                array.append(source.move())
                source += 1
            }
            count = start
            return array
        }

        private mutating func grow() {
            let newCapacity = capacity * 2
            let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
            newBase.moveInitialize(from: base, count: count)
            if ownsMemory { base.deallocate() }
            base = newBase
            capacity = newCapacity
            ownsMemory = true
        }
    }
}
