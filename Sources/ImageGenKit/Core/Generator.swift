/// Sends a provider's requests, retrying where SPEC §3 says, and merges the
/// answers in request order. Providers only build and parse; this is the one
/// place that talks to the transport for generation calls.
public struct Generator: Sendable {
    public let provider: any ImageProvider
    public let transport: any HTTPTransport
    public let settings: TransferSettings
    public let retryPolicy: RetryPolicy
    public let log: Diagnostics

    public init(provider: any ImageProvider, transport: any HTTPTransport, settings: TransferSettings,
                retryPolicy: RetryPolicy, log: Diagnostics) {
        self.provider = provider
        self.transport = transport
        self.settings = settings
        self.retryPolicy = retryPolicy
        self.log = log
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
        var retry = 0
        while true {
            let attempt = provider.prepareForSending(request)
            log.request(attempt)
            let started = Clock.now()
            let outcome: Result<HTTPResponse, ImageGenError>
            do {
                outcome = .success(try transport.send(attempt, settings: settings))
            } catch {
                outcome = .failure(error)
            }
            var response: HTTPResponse?
            let failure: ImageGenError
            switch outcome {
            case .success(let answer):
                log.response(answer, seconds: Clock.now() - started)
                if (200..<300).contains(answer.status) { return try provider.parseSuccess(answer) }
                let message = log.redactor.redact(provider.errorMessage(for: answer))
                guard RetryPolicy.isRetriable(status: answer.status) else {
                    if (400..<500).contains(answer.status) {
                        throw .rejected(provider: name, status: answer.status, message: message)
                    }
                    throw .badResponse(provider: name, message: "unexpected HTTP \(answer.status): \(message)")
                }
                response = answer
                failure = .unavailable(provider: name, status: answer.status, message: message)
            case .failure(let error):
                guard case .network = error else { throw error }
                failure = error
            }
            retry += 1
            guard retry <= retryPolicy.maxRetries else { throw failure }
            let wait = retryPolicy.delay(beforeRetry: retry, response: response, now: Clock.now())
            log.verbose("retry \(retry) of \(retryPolicy.maxRetries) in \(Diagnostics.format(seconds: wait)) s: "
                + log.redactor.redact(failure.message))
            Clock.sleep(seconds: wait)
        }
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
