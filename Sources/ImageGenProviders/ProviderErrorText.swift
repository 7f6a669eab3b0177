import ImageGenCore
import ImageGenHTTP

/// Helpers every provider's error parsing shares.
package enum ProviderErrorText {
    /// `error.message` (+ ` (code)`) from an OpenAI-shaped error body, else a
    /// short excerpt of whatever came back.
    static func openAIStyle(_ response: HTTPResponse) -> String {
        if let json = try? JSON.parse(response.body) {
            let error = json["error"]
            let message = error?["message"]?.stringValue ?? json["message"]?.stringValue
            let code = error?["code"]?.stringValue ?? error?["type"]?.stringValue
            if let message, !message.isEmpty {
                if let code, !code.isEmpty, !message.contains(code) { return "\(message) (\(code))" }
                return message
            }
        }
        return excerpt(response.body)
    }

    package static func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "empty response body" }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return body.count > 300 ? text + "…" : text
    }

    /// `error.code` (else `error.type`) of an OpenAI-shaped error body.
    package static func openAICode(_ response: HTTPResponse) -> String? {
        guard let json = try? JSON.parse(response.body), let error = json["error"] else { return nil }
        let code = error["code"]?.stringValue ?? error["type"]?.stringValue
        return code?.isEmpty == false ? code : nil
    }

    /// OpenAI's answer when the account has no credit left: a 429 whose code
    /// (or type) is `insufficient_quota`.
    package static func isOpenAIQuotaExhausted(_ response: HTTPResponse) -> Bool {
        guard response.status == 429, let json = try? JSON.parse(response.body), let error = json["error"] else {
            return false
        }
        return [error["code"], error["type"]].contains { $0?.stringValue == "insufficient_quota" }
    }

    /// A server's way of saying it has no such model: 404, or an error code
    /// or message that says so (compatible servers word it in many ways).
    package static func isModelNotFound(_ response: HTTPResponse) -> Bool {
        if response.status == 404 { return true }
        guard (400..<500).contains(response.status) else { return false }
        let code = openAICode(response)?.lowercased() ?? ""
        let text = openAIStyle(response).lowercased()
        return code.contains("model_not_found") || code.contains("invalid_model")
            || (text.contains("model") && (text.contains("not found") || text.contains("does not exist")))
    }
}
