import BridgeCore
import Foundation

extension SimulatorScenario {
    /// The envelope this dialect answers to `action` with `params`. Pure.
    package func reply(action: String, params: JSONObject) -> JSONValue {
        switch action {
        case "get_version_info": return success(versionInfo)
        case "get_login_info": return success(login)
        default: break
        }
        guard !absent.contains(action), let entry = actions[action] else {
            return .object(filled(unknownAction, placeholder: "{action}", with: action))
        }
        if let missing = entry.required.first(where: { params[$0] == nil || params[$0]?.isNull == true }) {
            return .object(filled(badParam, placeholder: "{param}", with: missing))
        }
        if let answer = entry.answer { return .object(answer) }
        return success(entry.data)
    }

    private func success(_ data: JSONValue) -> JSONValue {
        var envelope: JSONObject = ["status": "ok", "retcode": 0, "data": data]
        for extra in envelopeExtras.entries { envelope[extra.key] = extra.value }
        return .object(envelope)
    }

    private func filled(_ template: JSONObject, placeholder: String, with value: String) -> JSONObject {
        var envelope = template
        for entry in template.entries {
            if case .string(let text) = entry.value {
                envelope[entry.key] = .string(text.replacingOccurrences(of: placeholder, with: value))
            }
        }
        if envelope["data"] == nil { envelope["data"] = .null }
        return envelope
    }
}
