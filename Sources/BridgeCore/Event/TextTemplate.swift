/// A string with `{field}` placeholders, parsed once when a table loads: `"qq.{notice_type}"`, `"@{user_id}"`.
///
/// Event rows use it for their target discriminators and inbound segment rules for `alt` texts. A template
/// whose placeholder finds no value, or an empty one, renders as `""` as a whole, so `qq.{sub_type}`
/// gives `""` for an event without a sub_type, never a bare `qq.`.
package struct TextTemplate: Sendable, Equatable {
    package enum Part: Sendable, Equatable {
        case literal(String)
        case field(String)
    }

    /// Why a template could not be parsed; the table reader reports it with the row's line.
    package struct SyntaxError: Error, Sendable, Equatable {
        package var message: String
    }

    package private(set) var parts: [Part]

    /// A template without placeholders.
    package init(literal text: String) {
        parts = text.isEmpty ? [] : [.literal(text)]
    }

    /// Parses `text`. Throws for an unclosed `{` or an empty `{}`; a `}` on its own is literal text.
    package init(parsing text: String) throws(SyntaxError) {
        parts = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw SyntaxError(message: "unclosed '{' in template '\(text)'")
            }
            let name = rest[rest.index(after: open)..<close]
            guard !name.isEmpty else { throw SyntaxError(message: "empty '{}' in template '\(text)'") }
            parts.append(.field(String(name)))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
    }

    /// The field names the template reads, in order.
    package var fields: [String] {
        parts.compactMap { part in
            if case .field(let name) = part { return name }
            return nil
        }
    }

    /// Fills the placeholders with `value(name)`; any absent or empty value makes the result `""`. Pure.
    package func rendered(_ value: (String) -> String?) -> String {
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text):
                output += text
            case .field(let name):
                guard let text = value(name), !text.isEmpty else { return "" }
                output += text
            }
        }
        return output
    }
}
