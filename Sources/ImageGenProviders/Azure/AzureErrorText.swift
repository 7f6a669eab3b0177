import ImageGenCore
import ImageGenHTTP

/// Azure's error answers turned into what failed and what to do. Azure's own
/// message is always kept; the shapes recognised are the ones Azure sends for
/// a content-filter refusal, an unknown deployment, an unserved api-version
/// and a refused key or token.
package struct AzureErrorText {
    let response: HTTPResponse
    let deployment: String
    let configuration: AzureConfiguration

    static let contentFilterCodes: Set<String> = ["contentFilter", "content_filter", "content_policy_violation"]

    var message: String {
        let providerText = ProviderErrorText.openAIStyle(response)
        let json = try? JSON.parse(response.body)
        let error = json?["error"]
        let code = error?["code"]?.stringValue ?? ""
        let azureMessage = error?["message"]?.stringValue ?? json?["message"]?.stringValue ?? ""
        let status = response.status

        if let json, let filtered = contentFilterCategories(json) {
            let categories = filtered.isEmpty ? "" : "; filtered: " + filtered.joined(separator: ", ")
            return providerText + categories + "; Azure's content filter refused it, rephrase the prompt"
        }
        if code == "DeploymentNotFound" {
            return "deployment '\(deployment)' not found at \(configuration.apiBase) (\(azureMessage)); "
                + "check the deployment name (the part after azure/) and the resource endpoint"
        }
        if status == 400 || status == 404, mentionsUnservedVersion(azureMessage) {
            return "api-version '\(configuration.apiVersion)' is not supported (\(azureMessage)); "
                + "pass --api-version or set AZURE_API_VERSION to one the resource serves, e.g. "
                + AzureConfiguration.defaultAPIVersion
        }
        if status == 404 {
            return providerText + "; check that --api-base (now \(configuration.apiBase)) is the resource "
                + "endpoint, e.g. https://NAME.openai.azure.com, and that api-version "
                + "'\(configuration.apiVersion)' serves images"
        }
        if status == 401 {
            switch configuration.credential {
            case .adToken:
                return providerText + "; the Microsoft Entra ID token in AZURE_AD_TOKEN was refused: "
                    + "get a fresh one for https://cognitiveservices.azure.com, or use an API key"
            case .apiKey:
                return providerText + "; check the key (from \(configuration.credentialSource); set it with "
                    + "--api-key, AZURE_API_KEY or AZURE_OPENAI_API_KEY) and that \(configuration.apiBase) "
                    + "is that key's resource endpoint"
            }
        }
        if status == 400, azureMessage.contains("n=1") {
            return providerText + "; this deployment makes one image per request: ask for one image, "
                + "or name the deployment after its model (dall-e-3) so that -n N is sent as N requests"
        }
        return providerText
    }

    /// Nil unless this is a content-filter refusal; then the categories that
    /// were filtered, e.g. `violence (medium)`, possibly none when Azure did not say.
    func contentFilterCategories(_ json: JSON) -> [String]? {
        let error = json["error"]
        let inner = error?["inner_error"] ?? error?["innererror"]
        let codes = [error?["code"], inner?["code"]].compactMap { $0?.stringValue }
        let results = [
            inner?["content_filter_results"], inner?["content_filter_result"],
            error?["content_filter_results"], json["content_filter_results"],
        ]
        .compactMap { $0 }.first
        let filtered = results.map(AzureErrorText.filteredCategories) ?? []
        let isFilter = codes.contains {
            AzureErrorText.contentFilterCodes.contains($0) || $0 == "ResponsibleAIPolicyViolation"
        }
        return isFilter || !filtered.isEmpty ? filtered : nil
    }

    static func filteredCategories(_ results: JSON) -> [String] {
        guard case .object(let categories) = results else { return [] }
        return categories.compactMap { name, result in
            guard result["filtered"] == .bool(true) else { return nil }
            let label = name.replacing("_", with: " ")
            if let severity = result["severity"]?.stringValue, severity != "safe" { return "\(label) (\(severity))" }
            let lists = (result["details"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            return lists.isEmpty ? label : "\(label) (\(lists.joined(separator: ", ")))"
        }
    }

    func mentionsUnservedVersion(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.contains("api version") || lower.contains("api-version") else { return false }
        return ["not support", "unsupported", "invalid", "does not exist"].contains { lower.contains($0) }
    }
}
