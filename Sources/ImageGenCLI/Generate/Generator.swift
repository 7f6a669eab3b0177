import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
/// Sends one generation's requests through the engine and merges the answers
/// in request order. Providers only build and parse; the engine retries; this
/// decides what an answer means (SPEC §2 exit codes).
package struct Generator {
    let provider: any ImageProvider
    let redactor: Redactor
    let attempts: Int

    /// Submits every request; `completion` runs on the engine's loop once all
    /// are answered, with the images that came back and the failures of the
    /// requests that did not (one failed fan-out request keeps the others).
    /// `onAnswer` sees each successful answer (with its request's position)
    /// as soon as it arrives.
    func start(_ requests: [HTTPRequest], on engine: TransferEngine,
               onAnswer: ((Int, ProviderAnswer) -> Void)? = nil,
               completion: @escaping (GenerationResult, [ImageGenError]) -> Void) {
        var answers = [Result<ProviderAnswer, ImageGenError>?](repeating: nil, count: requests.count)
        var remaining = requests.count
        for (slot, request) in requests.enumerated() {
            engine.submit(request, prepare: provider.prepareForSending) {
                (outcome: consuming Result<HTTPResponse, ImageGenError>) in
                let answer = interpret(outcome)
                if case .success(let images) = answer { onAnswer?(slot, images) }
                answers[slot] = answer
                remaining -= 1
                if remaining == 0 {
                    let (result, failures) = merge(answers.compactMap { $0 })
                    completion(result, failures)
                }
            }
        }
    }

    func merge(_ answers: [Result<ProviderAnswer, ImageGenError>]) -> (GenerationResult, [ImageGenError]) {
        var result = GenerationResult(created: 0, model: provider.model, provider: provider.kind, images: [])
        var failures: [ImageGenError] = []
        for answer in answers {
            switch answer {
            case .success(let answer):
                result.images += answer.images
                if result.created == 0, let created = answer.created { result.created = created }
                result.usage = Generator.addUsage(result.usage, answer.usage)
            case .failure(let error):
                failures.append(error)
            }
        }
        if result.created == 0 { result.created = Int(Clock.now()) }
        return (result, failures)
    }

    func interpret(_ outcome: consuming Result<HTTPResponse, ImageGenError>) -> Result<ProviderAnswer, ImageGenError> {
        switch consume outcome {
        case .failure(let error):
            return .failure(error)
        case .success(var response):
            do {
                var answer = try self.answer(response)
                Generator.decodeInPlace(&answer, body: &response.body)
                return .success(answer)
            } catch {
                return .failure(error)
            }
        }
    }

    /// A single large image is decoded into its own response buffer, which
    /// nothing else holds by now: peak memory is the body, not body + image.
    static func decodeInPlace(_ answer: inout ProviderAnswer, body: inout [UInt8]) {
        guard answer.images.count == 1, let range = answer.images[0].base64?.indices,
              range.count >= 1 << 20 else { return }
        answer.images[0].base64 = nil  // the slice would keep a second reference to `body`
        var buffer = body
        body = []
        if Base64.decodeInPlace(&buffer, range: range) {
            answer.images[0].decoded = buffer
        } else {
            answer.images[0].base64 = buffer[range]  // left as it was: the output stage reports it
        }
    }

    private func answer(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        let name = provider.kind.rawValue
        if (200..<300).contains(response.status) {
            if let type = response.header("content-type"), !type.lowercased().contains("json") {
                throw .badResponse(provider: name, message: "expected a JSON answer, got Content-Type \(type): "
                    + redactor.redact(ProviderErrorText.excerpt(response.body)))
            }
            return try provider.parseSuccess(response)
        }
        let message = redactor.redact(provider.errorMessage(for: response))
        if RetryPolicy.isRetriable(status: response.status) {
            throw .unavailable(provider: name, status: response.status,
                               message: message + " (\(attempts) attempt\(attempts == 1 ? "" : "s"))")
        }
        if (400..<500).contains(response.status) {
            throw .rejected(provider: name, status: response.status, message: message)
        }
        throw .badResponse(provider: name, message: "unexpected HTTP \(response.status): \(message)")
    }

    /// Token counts add up across fan-out requests; other usage shapes keep the first.
    static func addUsage(_ total: JSON?, _ next: JSON?) -> JSON? {
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

/// Fetches image URLs the provider returned. No credentials are sent: the
/// URL may point at a third-party CDN or a signed blob.
package enum Downloader {
    static func request(for url: String) -> HTTPRequest {
        HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("Accept", "image/*")])
    }

    static func imageBytes(_ outcome: Result<HTTPResponse, ImageGenError>, url: String,
                           provider: String) throws(ImageGenError) -> [UInt8] {
        let response = try outcome.get()
        let origin = HTTPURL.origin(of: url)
        guard response.status == 200 else {
            throw .badResponse(provider: provider, message: "downloading the image from \(origin) "
                + "answered HTTP \(response.status)")
        }
        // An expired or wrong link often answers 200 with an HTML or XML error page.
        if let type = response.header("content-type")?.lowercased(),
           type.hasPrefix("text/") || type.contains("json") || type.contains("xml") {
            throw .badResponse(provider: provider, message: "downloading the image from \(origin) "
                + "gave \(type), not an image")
        }
        return response.body
    }
}
