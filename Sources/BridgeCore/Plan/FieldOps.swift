/// The declarative field operations of one table rule, compiled.
///
/// Applied in a fixed order, each step seeing the result of the one before:
/// rename → copy → map (value lookup) → convert → default → set → drop → nested → transforms.
/// ```yaml
/// rename: {nickname: user_name}     # move a value to a new key
/// copy: {card: user_displayname}    # add a second key, keep the first
/// map: {status: {10: 11}}           # replace listed values
/// convert: {lat: string}            # change the JSON type exactly
/// default: {user_displayname: ""}   # only when absent or null
/// set: {platform: qq}               # always
/// drop: [no_cache]
/// nested: {group: {rename: {…}}}    # the same operations inside an object or list of objects
/// transforms: [stamp_time]          # named engine transforms (mappings/README.md)
/// ```
package struct FieldOps: Sendable, Equatable {
    package struct Pair: Sendable, Equatable {
        package init(from: String, to: String) { self.from = from; self.to = to }

        package var from: String
        package var to: String
    }

    package struct Assignment: Sendable, Equatable {
        package init(key: String, value: JSONValue) { self.key = key; self.value = value }

        package var key: String
        package var value: JSONValue
    }

    package struct ValueMap: Sendable, Equatable {
        package init(key: String, cases: [(from: JSONValue, to: JSONValue)]) { self.key = key; self.cases = cases }

        package var key: String
        package var cases: [(from: JSONValue, to: JSONValue)]

        package static func == (lhs: ValueMap, rhs: ValueMap) -> Bool {
            lhs.key == rhs.key && lhs.cases.elementsEqual(rhs.cases) { $0.from == $1.from && $0.to == $1.to }
        }
    }

    package struct Conversion: Sendable, Equatable {
        package init(key: String, type: ValueType) { self.key = key; self.type = type }

        package var key: String
        package var type: ValueType
    }

    package struct Nested: Sendable, Equatable {
        package init(key: String, ops: FieldOps) { self.key = key; self.ops = ops }

        package var key: String
        package var ops: FieldOps
    }

    /// The steps in the order they run.
    struct Steps: Sendable, Equatable {
        var renames: [Pair] = []
        var copies: [Pair] = []
        var valueMaps: [ValueMap] = []
        var conversions: [Conversion] = []
        var defaults: [Assignment] = []
        var sets: [Assignment] = []
        var drops: [String] = []
        var nested: [Nested] = []
        var transforms: [NamedTransform] = []
    }

    /// The steps in one immutable shared box. Plans copy their operations on every call (out of a dictionary,
    /// into an `UpstreamCall`); one reference costs one retain where nine arrays cost nine.
    private final class Storage: Sendable {
        let steps: Steps
        let isEmpty: Bool
        let hasTransforms: Bool
        let streamed: StreamedFieldOps?

        init(_ steps: Steps) {
            self.steps = steps
            streamed = StreamedFieldOps(steps)
            isEmpty = steps.renames.isEmpty && steps.copies.isEmpty && steps.valueMaps.isEmpty
                && steps.conversions.isEmpty && steps.defaults.isEmpty && steps.sets.isEmpty && steps.drops.isEmpty
                && steps.nested.isEmpty && steps.transforms.isEmpty
            hasTransforms = !steps.transforms.isEmpty || steps.nested.contains { $0.ops.hasTransforms }
        }
    }

    private var storage = Storage(Steps())

    /// Only the compiler changes operations, so a change builds a new box.
    private mutating func update(_ change: (inout Steps) -> Void) {
        var steps = storage.steps
        change(&steps)
        storage = Storage(steps)
    }

    package var renames: [Pair] { get { storage.steps.renames } set { update { $0.renames = newValue } } }
    package var copies: [Pair] { get { storage.steps.copies } set { update { $0.copies = newValue } } }
    package var valueMaps: [ValueMap] { get { storage.steps.valueMaps } set { update { $0.valueMaps = newValue } } }
    package var conversions: [Conversion] {
        get { storage.steps.conversions }
        set { update { $0.conversions = newValue } }
    }
    package var defaults: [Assignment] { get { storage.steps.defaults } set { update { $0.defaults = newValue } } }
    package var sets: [Assignment] { get { storage.steps.sets } set { update { $0.sets = newValue } } }
    package var drops: [String] { get { storage.steps.drops } set { update { $0.drops = newValue } } }
    package var nested: [Nested] { get { storage.steps.nested } set { update { $0.nested = newValue } } }
    package var transforms: [NamedTransform] {
        get { storage.steps.transforms }
        set { update { $0.transforms = newValue } }
    }

    package init() {}

    package static let empty = FieldOps()

    /// Whether a named transform runs here or in a nested rule: the only steps that throw in a lenient scope.
    package var hasTransforms: Bool { storage.hasTransforms }

    /// Checked on every apply, so it is computed once when the operations are built.
    package var isEmpty: Bool { storage.isEmpty }

    /// The operations as the streaming reply path applies them; nil when they must read values.
    var streamed: StreamedFieldOps? { storage.streamed }

    package static func == (lhs: FieldOps, rhs: FieldOps) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.steps == rhs.storage.steps
    }
}
