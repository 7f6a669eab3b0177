import ImageGenCore
import ImageGenHTTP

/// Azure OpenAI's `GET /openai/models`: the base models a resource can
/// deploy, each with `lifecycle_status` and its retirement dates under
/// `deprecation` (`inference`: when calls stop).
package struct AzureModelList: ModelListing {
    package let kind = ProviderKind.azure
    package let configuration: AzureConfiguration

    package init(configuration: AzureConfiguration) {
        self.configuration = configuration
    }

    package var isOfficialEndpoint: Bool { AzureClient.isOfficial(configuration.apiBase) }
    package var region: String? { nil }
    package var secrets: [String] { [configuration.credential.secret] }

    /// The resource's models URL, whatever deployment path the base carries.
    package var endpoint: String {
        var base = Substring(configuration.apiBase)
        while base.hasSuffix("/") { base = base.dropLast() }
        let resource = AzureConfiguration.pathStart(of: base, marker: "/openai").map { base[..<$0] } ?? base
        let version = configuration.apiVersion
        if configuration.usesV1API {
            return resource + "/openai/v1/models"
                + (version == "v1" ? "" : "?api-version=" + HTTPURL.percentEncode(version))
        }
        return resource + "/openai/models?api-version=" + HTTPURL.percentEncode(version)
    }

    package func request() -> HTTPRequest {
        var headers: [HTTPHeader]
        switch configuration.credential {
        case .apiKey(let key): headers = [HTTPHeader("api-key", key)]
        case .adToken(let token): headers = [HTTPHeader("Authorization", "Bearer \(token)")]
        }
        headers.append(HTTPHeader("Accept", "application/json"))
        return HTTPRequest(method: "GET", url: endpoint, headers: headers)
    }

    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        try OpenAIModelList.entries(of: answer, provider: kind).compactMap { id, item in
            let drawsImages =
                item["capabilities"]?["image_generation"] == .bool(true)
                || OpenAIModelList.imagePrefixes.contains { id.hasPrefix($0) }
            return drawsImages ? LiveModel(id: id, lifecycle: Self.lifecycle(of: item)) : nil
        }
    }

    /// Azure gives every model its retirement date, even a generally
    /// available one; only `lifecycle_status` says whether it is on its way out.
    static func lifecycle(of item: JSON) -> Lifecycle {
        let status = item["lifecycle_status"]?.stringValue?.lowercased() ?? ""
        let inference = ListedDate.parse(item["deprecation"]?["inference"])
        if status.hasPrefix("retire"), let inference { return .retired(on: inference, replacement: nil) }
        if status.hasPrefix("deprecat") || status.hasPrefix("retire") {
            return .deprecated(shutdown: inference, replacement: nil)
        }
        return .active
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        AzureErrorText(response: response, deployment: "", configuration: configuration).message
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        ProviderErrorText.openAICode(response)
    }
}
