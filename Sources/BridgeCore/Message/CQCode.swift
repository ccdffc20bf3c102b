/// OneBot 11 string-form messages: `text[CQ:type,key=value]text` (onebot11.md §10.2).
///
/// Escaping as every implementation does it: `&`→`&amp;`, `[`→`&#91;`, `]`→`&#93;` in text and values,
/// and `,`→`&#44;` inside values only. Pure.
package enum CQCode {
    /// Parses a CQ string into array-form segments; every `data` value is a string.
    ///
    /// Malformed codes (an unclosed `[CQ:`) are kept as literal text rather than refused: the string
    /// came from a user or a bot, and losing their words is worse than not recognising a code.
    package static func segments(from text: String) -> [JSONValue] {
        var text = text
        let fast: [JSONValue]? = text.withUTF8 { bytes in
            hasPlainASCIIBoundaries(bytes) ? segmentsFromBytes(bytes) : nil
        }
        return fast ?? segmentsFromCharacters(text)
    }

    /// The reference parser, over Characters; see `segmentsFromBytes` for when the bytes give the same answer.
    static func segmentsFromCharacters(_ text: String) -> [JSONValue] {
        var segments: [JSONValue] = []
        var pending = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "[CQ:") {
            pending += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "]") else {
                pending += rest[open.lowerBound...]
                rest = ""
                break
            }
            let body = rest[open.upperBound..<close]
            rest = rest[rest.index(after: close)...]
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            let type = String(parts[0])
            guard !type.isEmpty else {
                pending += "[CQ:" + body + "]"
                continue
            }
            if !pending.isEmpty { segments.append(textSegment(unescape(pending))) }
            pending = ""
            var data = JSONObject()
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                data[String(pair[0])] = .string(pair.count > 1 ? unescape(String(pair[1])) : "")
            }
            segments.append(.object(JSONObject([.init(key: "type", value: .string(type)),
                                                .init(key: "data", value: .object(data))])))
        }
        pending += rest
        if !pending.isEmpty { segments.append(textSegment(unescape(pending))) }
        return segments
    }

    /// Renders array-form segments as a CQ string; text is escaped, so it can never become a code.
    package static func string(from segments: [JSONValue]) -> String {
        var output = ""
        for segment in segments {
            guard case .object(let object) = segment, let type = object["type"]?.stringValue else { continue }
            let data = object["data"]?.objectValue ?? JSONObject()
            if type == "text" {
                output += escape(data["text"]?.stringValue ?? "", inValue: false)
                continue
            }
            output += "[CQ:" + type
            for entry in data.entries {
                let value = ValueType.string.converted(entry.value)?.stringValue ?? entry.value.jsonText
                output += "," + entry.key + "=" + escape(value, inValue: true)
            }
            output += "]"
        }
        return output
    }

    /// One text segment holding `text` verbatim (what `auto_escape` means).
    package static func textSegment(_ text: String) -> JSONValue {
        .object(JSONObject([.init(key: "type", value: "text"), .init(key: "data", value: ["text": .string(text)])]))
    }

    package static func escape(_ text: String, inValue: Bool) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "[": output += "&#91;"
            case "]": output += "&#93;"
            case "," where inValue: output += "&#44;"
            default: output.append(character)
            }
        }
        return output
    }

    /// Undoes `escape`; `&amp;` last, so `&amp;#91;` stays the literal text `&#91;`.
    package static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingAll("&#91;", with: "[").replacingAll("&#93;", with: "]")
            .replacingAll("&#44;", with: ",").replacingAll("&amp;", with: "&")
    }
}

extension String {
    /// Foundation-free replacement, so the core keeps to the standard library.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var output = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        output += rest
        return output
    }
}
