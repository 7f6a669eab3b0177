/// Sends a provider's requests and merges the answers in request order.
/// Providers only build and parse; `HTTPClient` retries; this decides what an
/// answer means (SPEC §2 exit codes).
public struct Generator: Sendable {
    public let provider: any ImageProvider
    public let client: HTTPClient

    public init(provider: any ImageProvider, client: HTTPClient) {
        self.provider = provider
        self.client = client
    }

    /// The images that came back, and the failures of requests that did not.
    /// With fan-out, one failed request does not discard the others' images.
    public func generate(_ requests: [HTTPRequest]) -> (result: GenerationResult, failures: [ImageGenError]) {
        var result = GenerationResult(created: 0, model: provider.model, provider: provider.kind, images: [])
        var failures: [ImageGenError] = []
        for request in requests {
            do {
                let answer = try send(request)
                result.images += answer.images
                if result.created == 0, let created = answer.created { result.created = created }
                result.usage = Generator.merge(result.usage, answer.usage)
            } catch {
                failures.append(error)
                // The same key or deployment fails every remaining request the same way.
                if case .rejected(_, let status, _) = error, [401, 403, 404].contains(status) { break }
            }
        }
        if result.created == 0 { result.created = Int(Clock.now()) }
        return (result, failures)
    }

    func send(_ request: HTTPRequest) throws(ImageGenError) -> ProviderAnswer {
        let name = provider.kind.rawValue
        let response = try client.send(request, prepare: provider.prepareForSending)
        if (200..<300).contains(response.status) {
            if let type = response.header("content-type"), !type.lowercased().contains("json") {
                throw .badResponse(provider: name, message: "expected a JSON answer, got Content-Type \(type): "
                    + client.log.redactor.redact(ProviderErrorText.excerpt(response.body)))
            }
            return try provider.parseSuccess(response)
        }
        let message = client.log.redactor.redact(provider.errorMessage(for: response))
        if RetryPolicy.isRetriable(status: response.status) {
            let tries = client.retryPolicy.maxRetries + 1
            throw .unavailable(provider: name, status: response.status,
                               message: message + " (\(tries) attempt\(tries == 1 ? "" : "s"))")
        }
        if (400..<500).contains(response.status) {
            throw .rejected(provider: name, status: response.status, message: message)
        }
        throw .badResponse(provider: name, message: "unexpected HTTP \(response.status): \(message)")
    }
    /// Token counts add up across fan-out requests; other usage shapes keep the first.
    static func merge(_ total: JSON?, _ next: JSON?) -> JSON? {
        guard let next else { return total }
        guard case .object(var sum)? = total, case .object(let add) = next else { return total ?? next }
        for (key, value) in add {
            if let i = sum.firstIndex(where: { $0.0 == key }), let a = sum[i].1.intValue, let b = value.intValue {
                sum[i].1 = .int(a + b)
            }
        }
        return .object(sum)
    }
}
