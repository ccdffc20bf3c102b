/// A fixed map from names to values, for lookups on the hot path.
///
/// Names are grouped by UTF-8 length and compared within their group. For the few dozen names of a
/// mapping table that costs less than a `Dictionary` lookup, which first hashes every byte of the
/// looked-up name with SipHash: about 250 instructions per segment type or event key (callgrind).
package struct NameTable<Value: Sendable>: Sendable {
    /// Sorted by length; `starts[n]..<starts[n + 1]` holds the names of `n` bytes (the last group: longer).
    private let names: [String]
    private let values: [Value]
    private let starts: [Int]
    private static var longest: Int { 32 }

    /// The first value of a repeated name wins.
    package init(_ pairs: some Sequence<(String, Value)>) {
        var groups = Array(repeating: [(String, Value)](), count: Self.longest + 1)
        for (name, value) in pairs {
            let group = min(name.utf8.count, Self.longest)
            if !groups[group].contains(where: { $0.0 == name }) { groups[group].append((name, value)) }
        }
        var starts = [0]
        for group in groups { starts.append(starts[starts.count - 1] + group.count) }
        names = groups.flatMap { $0.map(\.0) }
        values = groups.flatMap { $0.map(\.1) }
        self.starts = starts
    }

    package subscript(name: String) -> Value? {
        let group = min(name.utf8.count, Self.longest)
        for index in starts[group]..<starts[group + 1] where names[index] == name { return values[index] }
        return nil
    }
}
