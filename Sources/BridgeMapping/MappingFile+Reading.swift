import BridgeCore
import Yams

extension MappingFile {
    package static let topLevelKeys: Set<String> = [
        "dialect", "side", "description", "action_prefixes", "id_style", "ids", "errors", "retcodes", "segments",
        "segment_prefix", "segment_data_as_strings", "auth_scheme", "unsupported", "actions", "detect",
        "event_style", "events", "legacy_events", "inbound_segments",
    ]
    package static let actionKeys: Set<String> = ["hub", "upstream", "params", "request", "response", "errors", "dispatch",
                                          "local", "unsupported"]

    /// Reads one table. Returns nil and appends to `issues` when anything is wrong; every problem is listed.
    package static func read(yaml: String, file: String, issues: inout [MappingIssue]) -> MappingFile? {
        var reader = TableReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, Resolver.yaml12)
        } catch {
            issues.append(MappingIssue(file: file, line: 0, keyPath: "", message: "not valid YAML: \(error)"))
            return nil
        }
        guard let root, let pairs = reader.mapping(root, "", allowed: topLevelKeys) else {
            reader.report(root, "", "a table must be a mapping")
            issues += reader.issues
            return nil
        }
        let values = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        guard let dialectNode = values["dialect"], let dialect = reader.string(dialectNode, "dialect"),
            let sideNode = values["side"], let side = reader.enumValue(sideNode, "side", as: Side.self)
        else {
            reader.report(root, "", "a table needs 'dialect' and 'side'")
            issues += reader.issues
            return nil
        }
        var table = MappingFile(file: file, dialect: dialect, side: side)
        for (key, value) in pairs { table.readTopLevel(key, value, reader: &reader) }
        if let prefix = values["segment_prefix"].flatMap({ reader.string($0, "segment_prefix") }) {
            table.segments?.extensionPrefix = prefix
        }
        if let flag = values["segment_data_as_strings"] { table.segments?.stringifiesData = flag.bool ?? false }
        table.inboundSegments?.extensionPrefix = values["segment_prefix"]?.scalar?.string
        table.checkEventSections(values, reader: &reader)
        issues += reader.issues
        return reader.issues.isEmpty ? table : nil
    }

    private mutating func readTopLevel(_ key: String, _ value: Node, reader: inout TableReader) {
        switch key {
        case "description": description = reader.string(value, key) ?? ""
        case "action_prefixes": actionPrefixes = reader.strings(value, key)
        case "id_style": idStyle = reader.enumValue(value, key, as: MappingPlan.IDStyle.self) ?? .native
        case "ids":
            ids = (reader.mapping(value, key) ?? []).compactMap { field, typeNode in
                reader.enumValue(typeNode, "ids.\(field)", as: ValueType.self).map { (field, $0) }
            }
        case "errors": errors = reader.errorRules(value, key)
        case "retcodes": retcodes = Self.readRetcodes(value, reader: &reader)
        case "detect":
            detect = (reader.sequence(value, key) ?? []).enumerated().compactMap { offset, row in
                let path = "detect[\(offset)]"
                guard let pairs = reader.mapping(row, path, allowed: ["field", "equals", "contains"]) else { return nil }
                let values = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
                guard let field = values["field"].flatMap({ reader.string($0, "\(path).field") }) else {
                    reader.report(row, path, "a detect row needs a 'field'")
                    return nil
                }
                return DetectRule(field: field, equals: values["equals"].flatMap { reader.string($0, "\(path).equals") },
                                  contains: values["contains"].flatMap { reader.string($0, "\(path).contains") })
            }
        case "segments": segments = Self.readSegments(value, reader: &reader)
        case "auth_scheme": authScheme = reader.string(value, key) ?? "Bearer"
        case "unsupported":
            unsupported = (reader.mapping(value, key) ?? []).compactMap { name, reason in
                reader.string(reason, "unsupported.\(name)").map { (name, $0) }
            }
        case "actions":
            actions = (reader.mapping(value, key) ?? []).map { name, row in
                Self.readAction(name: name, row, path: "actions.\(name)", reader: &reader)
            }
        case "event_style": eventStyle = reader.enumValue(value, key, as: EventStyle.self) ?? .onebot11
        case "events": events = Self.readEvents(value, path: key, reader: &reader)
        case "legacy_events": legacyEvents = Self.readEvents(value, path: key, reader: &reader)
        case "inbound_segments": inboundSegments = Self.readInboundSegments(value, reader: &reader)
        default: return  // dialect, side, segment_prefix, segment_data_as_strings: read by the caller
        }
    }

    private static func readRetcodes(_ node: Node, reader: inout TableReader) -> [FailureKind: RetcodeChoice] {
        var result: [FailureKind: RetcodeChoice] = [:]
        for (name, value) in reader.mapping(node, "retcodes") ?? [] {
            let path = "retcodes.\(name)"
            guard let kind = FailureKind(rawValue: name) else {
                reader.report(value, path, "unknown failure kind (see mappings/README.md)")
                continue
            }
            if value.scalar?.string == "upstream" {
                result[kind] = .upstream
            } else if let code = reader.integer(value, path) {
                result[kind] = .code(code)
            }
        }
        return result
    }

    private static func readSegments(_ node: Node, reader: inout TableReader) -> SegmentTable {
        var rules: [String: SegmentTable.Rule] = [:]
        for (type, value) in reader.mapping(node, "segments") ?? [] {
            let path = "segments.\(type)"
            if value.scalar?.string == "unsupported" {
                rules[type] = SegmentTable.Rule(type: type, required: [], ops: .empty, isUnsupported: true)
                continue
            }
            let ops = reader.fieldOps(value, path, extraKeys: ["type", "required"])
            let target = value["type"].flatMap { reader.string($0, "\(path).type") } ?? type
            let required = value["required"].map { reader.strings($0, "\(path).required") } ?? []
            rules[type] = SegmentTable.Rule(type: target, required: required, ops: ops, isUnsupported: false)
        }
        return SegmentTable(rules: rules, extensionPrefix: nil, stringifiesData: false)
    }

    private static func readAction(name: String, _ node: Node, path: String, reader: inout TableReader) -> ActionRow {
        var row = ActionRow(name: name, line: node.mark?.line ?? 0)
        for (key, value) in reader.mapping(node, path, allowed: actionKeys) ?? [] {
            let keyPath = "\(path).\(key)"
            switch key {
            case "hub": row.hub = reader.string(value, keyPath)
            case "upstream": row.upstream = reader.string(value, keyPath)
            case "params": row.params = reader.params(value, keyPath)
            case "request": row.request = reader.fieldOps(value, keyPath)
            case "response": row.response = reader.fieldOps(value, keyPath)
            case "errors": row.errors = reader.errorRules(value, keyPath)
            case "local": row.local = reader.enumValue(value, keyPath, as: LocalAnswer.self)
            case "unsupported": row.unsupported = reader.string(value, keyPath)
            default: row.dispatch = readDispatch(value, path: keyPath, reader: &reader)
            }
        }
        return row
    }

    private static func readDispatch(_ node: Node, path: String, reader: inout TableReader) -> Dispatch? {
        guard let pairs = reader.mapping(node, path, allowed: ["param", "cases"]) else { return nil }
        let values = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        guard let param = values["param"].flatMap({ reader.string($0, "\(path).param") }),
            let casesNode = values["cases"]
        else {
            reader.report(node, path, "dispatch needs 'param' and 'cases'")
            return nil
        }
        let cases = (reader.mapping(casesNode, "\(path).cases") ?? []).map { value, row in
            (value, readAction(name: value, row, path: "\(path).cases.\(value)", reader: &reader))
        }
        return Dispatch(param: param, cases: cases)
    }
}

extension Resolver {
    /// YAML 1.2 booleans only: `yes`, `no`, `on` and `off` stay strings (they are QQ status words).
    package static let yaml12: Resolver = {
        let strictBool = try? Resolver.Rule(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
        return Resolver.default.removing(.bool).appending(strictBool ?? .bool)
    }()
}

// MARK: - Events (mappings/README.md, "Events")

extension MappingFile {
    private static let eventRowKeys: Set<String> = ["type", "detail_type", "sub_type", "transforms"]

    /// Reads `events:` or `legacy_events:` rows: `post_type[/second level[/sub_type]]: {targets, ops, transforms}`.
    private static func readEvents(_ node: Node, path: String, reader: inout TableReader) -> [EventRule] {
        (reader.mapping(node, path) ?? []).compactMap { name, row in
            let rowPath = "\(path).\(name)"
            guard let key = EventKey(path: name) else {
                reader.report(row, rowPath,
                              "an event key is post_type[/second level[/sub_type]], such as notice/notify/poke")
                return nil
            }
            guard EventKey.postTypes.contains(key.postType) else {
                let known = EventKey.postTypes.sorted().joined(separator: ", ")
                reader.report(row, rowPath, "unknown post_type '\(key.postType)' (expected one of: \(known))")
                return nil
            }
            var rule = EventRule(key: key, ops: reader.fieldOps(row, rowPath, extraKeys: eventRowKeys))
            reader.refuseNamedTransforms(rule.ops, row, rowPath, "event rows list event transforms under 'transforms'")
            let fields = EventKey.templateFields
            rule.type = row["type"].flatMap { reader.template($0, "\(rowPath).type", fields: fields) }
            rule.detailType = row["detail_type"].flatMap {
                reader.template($0, "\(rowPath).detail_type", fields: fields)
            }
            rule.subType = row["sub_type"].flatMap { reader.template($0, "\(rowPath).sub_type", fields: fields) }
            if let list = row["transforms"] {
                rule.transforms = (reader.sequence(list, "\(rowPath).transforms") ?? []).enumerated().compactMap {
                    reader.enumValue($0.element, "\(rowPath).transforms[\($0.offset)]", as: EventTransform.self)
                }
            }
            return rule
        }
    }

    /// Reads `inbound_segments:`: OB11 type → one rule, or a list of rules with `match`, the last one without.
    private static func readInboundSegments(_ node: Node, reader: inout TableReader) -> InboundSegmentTable {
        var rules: [String: [InboundSegmentTable.Rule]] = [:]
        for (type, value) in reader.mapping(node, "inbound_segments") ?? [] {
            let path = "inbound_segments.\(type)"
            guard case .sequence = value else {
                rules[type] = [readInboundRule(type: type, value, path: path, reader: &reader)]
                continue
            }
            let items = reader.sequence(value, path) ?? []
            var list: [InboundSegmentTable.Rule] = []
            for (offset, item) in items.enumerated() {
                let rule = readInboundRule(type: type, item, path: "\(path)[\(offset)]", reader: &reader)
                if rule.match.isEmpty, offset < items.count - 1 {
                    reader.report(item, "\(path)[\(offset)]", "only the last rule of a list may leave out 'match'")
                }
                list.append(rule)
            }
            rules[type] = list
        }
        return InboundSegmentTable(rules: rules)
    }

    private static func readInboundRule(type: String, _ node: Node, path: String, reader: inout TableReader)
        -> InboundSegmentTable.Rule
    {
        let ops = reader.fieldOps(node, path, extraKeys: ["type", "match", "alt"])
        reader.refuseNamedTransforms(ops, node, path, "segment rules take field operations only")
        let match = node["match"].map { matchNode in
            (reader.mapping(matchNode, "\(path).match") ?? []).map { field, value in
                FieldOps.Assignment(key: field, value: reader.json(value, "\(path).match.\(field)"))
            }
        }
        return InboundSegmentTable.Rule(
            match: match ?? [], type: node["type"].flatMap { reader.string($0, "\(path).type") } ?? type, ops: ops,
            alt: node["alt"].flatMap { reader.template($0, "\(path).alt", fields: nil) })
    }

    /// Event sections make sense on one side only; `inbound_segments` transforms need this file's table.
    fileprivate mutating func checkEventSections(_ values: [String: Node], reader: inout TableReader) {
        let clientOnly = ["event_style", "legacy_events", "inbound_segments"]
        for key in clientOnly + ["events"] {
            guard let node = values[key] else { continue }
            if side == .hub {
                reader.report(node, key,
                              "the hub is standard OneBot 11: event rules belong to client and upstream tables")
            } else if side == .upstream, clientOnly.contains(key) {
                reader.report(node, key, "only client tables have '\(key)'")
            }
        }
        guard inboundSegments == nil else { return }
        for (section, rows) in [("events", events), ("legacy_events", legacyEvents ?? [])] {
            for rule in rows where rule.transforms.contains(.inboundSegments) {
                let path = "\(section).\(rule.key).transforms"
                reader.report(values[section]?[rule.key.description], path,
                              "inbound_segments needs an 'inbound_segments' table in this file")
            }
        }
    }
}

extension TableReader {
    /// Reads a `{field}` template, reporting bad syntax and placeholders outside `fields` (nil: any field).
    mutating func template(_ node: Node, _ path: String, fields: Set<String>?) -> TextTemplate? {
        guard let text = string(node, path) else { return nil }
        do throws(TextTemplate.SyntaxError) {
            let template = try TextTemplate(parsing: text)
            for name in template.fields where !(fields?.contains(name) ?? true) {
                let known = (fields ?? []).sorted().joined(separator: ", ")
                report(node, path, "unknown placeholder '{\(name)}' (expected one of: \(known))")
            }
            return template
        } catch {
            report(node, path, error.message)
            return nil
        }
    }

    /// Named transforms belong to action rows; event rows and segment rules have no use for them.
    mutating func refuseNamedTransforms(_ ops: FieldOps, _ node: Node, _ path: String, _ reason: String) {
        func uses(_ ops: FieldOps) -> Bool { !ops.transforms.isEmpty || ops.nested.contains { uses($0.ops) } }
        if uses(ops) { report(node, path, "named transforms are for actions; \(reason)") }
    }
}
