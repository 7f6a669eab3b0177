import ImageGenCore
import ImageGenHTTP

/// Black Forest Labs' FLUX API (docs.bfl.ai): a generation is a task. The
/// submission answers with an id and a `polling_url`; polling it answers
/// `Pending` until `Ready`, whose `result.sample` is a short-lived delivery
/// URL that the run downloads (LiteLLM returns the URL without downloading).
/// One image per task, so `-n K` is K tasks.
package struct BlackForestLabsClient: ImageProvider {
    package let kind = ProviderKind.blackForestLabs
    package let model: String
    package let configuration: BlackForestLabsConfiguration

    package init(model: String, configuration: BlackForestLabsConfiguration) {
        self.model = model
        self.configuration = configuration
    }

    package var secrets: [String] { [configuration.endpoint.apiKey] }
    package var credentialSource: String { configuration.endpoint.keySource }

    package var isOfficialEndpoint: Bool {
        BlackForestLabsConfiguration.isBFLAPIHost(HTTPURL.host(of: configuration.endpoint.apiBase))
    }

    package var dryRunNote: String? {
        "black_forest_labs: each task's polling_url is then polled every "
            + "\(Seconds.asTyped(BlackForestLabsConfiguration.pollInterval)) s until Ready, for at most "
            + "\(Seconds.asTyped(configuration.taskLimit)) s (--timeout); the key goes only to the submit host "
            + "and to https hosts api.bfl.ai and api.*.bfl.ai"
    }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        if request.edit != nil {
            throw .usage(
                "imagegen edit does not reach Black Forest Labs yet; FLUX Kontext edits take "
                    + "--param input_image=BASE64 on a generation")
        }
        let headers = [
            HTTPHeader("x-key", configuration.endpoint.apiKey), HTTPHeader("Content-Type", "application/json"),
            HTTPHeader("Accept", "application/json"),
        ]
        let one = HTTPRequest(
            method: "POST", url: configuration.submitURL(model: model), headers: headers,
            body: Array(Self.body(for: request).text.utf8))
        return Array(repeating: one, count: request.imageCount)
    }

    /// `prompt`, then `width`/`height` from `--size`, `seed`, `output_format`,
    /// then `--param` fields (`aspect_ratio`, `safety_tolerance`,
    /// `prompt_upsampling`, `steps`, `guidance`, `raw`…), which replace a
    /// same-named field. BFL takes no `n`: each task makes one image.
    static func body(for request: GenerationRequest) -> JSON {
        let parameters = request.parameters
        var fields: [(String, JSON)] = [("prompt", .string(request.prompt))]
        if let size = parameters.pixelSize {
            fields += [("width", .int(size.width)), ("height", .int(size.height))]
        }
        if let seed = parameters.seed { fields.append(("seed", .int(seed))) }
        if let format = parameters.outputFormat { fields.append(("output_format", .string(format))) }
        return .object(JSON.merging(fields, parameters.extra.map { ($0.key, $0.value) }))
    }

    /// The poll of `url`, with the key only where `sendsKey` allows it.
    func pollRequest(_ url: String) -> HTTPRequest {
        var headers = [HTTPHeader("Accept", "application/json")]
        if configuration.sendsKey(to: url) { headers.insert(HTTPHeader("x-key", configuration.endpoint.apiKey), at: 0) }
        return HTTPRequest(method: "GET", url: url, headers: headers)
    }

    package func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        throw .internal("a Black Forest Labs answer is read with the request it answers")
    }

    package func parseSuccess(
        _ response: HTTPResponse, to request: HTTPRequest
    ) throws(ImageGenError) -> ProviderAnswer {
        let json = try response.json(from: kind)
        return request.method == "POST" ? try submitted(json) : try polled(json, poll: request)
    }

    /// The submission's answer: `{"id", "polling_url", "cost"…}`.
    func submitted(_ json: JSON) throws(ImageGenError) -> ProviderAnswer {
        guard let id = json["id"]?.stringValue, !id.isEmpty else {
            throw .badResponse(provider: kind, message: "the submission answer has no task \"id\"")
        }
        guard let url = json["polling_url"]?.stringValue, HTTPURL.isHTTP(url) else {
            throw .badResponse(
                provider: kind, message: "the submission answer has no http(s) \"polling_url\" for task \(safe(id))")
        }
        // `cost` (credits of $0.01), `input_mp`, `output_mp`: the charge, known at submission.
        let usage = ["cost", "input_mp", "output_mp"].compactMap { key -> (String, JSON)? in
            guard case .number? = json[key] else { return nil }
            return (key, json[key]!)
        }
        var task = pending(pollRequest(url), status: "submitted", task: id)
        task.usage = usage.isEmpty ? nil : .object(usage)
        return ProviderAnswer(images: [], pending: task)
    }

    /// A poll's answer: `{"id", "status", "result": {"sample"…}}`.
    func polled(_ json: JSON, poll: HTTPRequest) throws(ImageGenError) -> ProviderAnswer {
        let id = json["id"]?.stringValue.map(safe) ?? "?"
        guard let status = json["status"]?.stringValue else {
            throw .badResponse(provider: kind, message: "the poll answer for task \(id) has no \"status\"")
        }
        switch status {
        case "Ready":
            guard let sample = json["result"]?["sample"]?.stringValue, HTTPURL.isHTTP(sample) else {
                throw .badResponse(
                    provider: kind, message: "task \(id) is Ready but its result has no http(s) \"sample\" URL")
            }
            var image = GeneratedImage(url: sample)
            if let seed = json["result"]?["seed"] { image.extra.append(("seed", seed)) }
            return ProviderAnswer(images: [image])
        case "Pending", "Processing", "Queued":
            return ProviderAnswer(images: [], pending: pending(poll, status: status, task: id))
        case "Error", "Failed", "Request Moderated", "Content Moderated", "Task not found":
            throw .rejected(provider: kind, status: 200, message: "task \(id): \(status)" + reason(json), code: status)
        default:
            throw .badResponse(provider: kind, message: "task \(id) has an unknown status \"\(safe(status))\"")
        }
    }

    private func pending(_ poll: HTTPRequest, status: String, task: String) -> PendingTask {
        PendingTask(
            poll: poll, after: BlackForestLabsConfiguration.pollInterval, limit: configuration.taskLimit,
            status: status, task: safe(task))
    }

    /// What BFL said about a failed task: `details` (moderation reasons) or `result`.
    private func reason(_ json: JSON) -> String {
        for key in ["details", "result", "error"] {
            guard let value = json[key], !value.isNull else { continue }
            let text = value.stringValue ?? value.text
            return " (" + safe(String(text.prefix(300))) + ")"
        }
        return ""
    }

    /// Text from the answer, with control characters removed before it reaches a terminal.
    private func safe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !HTTPURL.isUnsafe($0) || $0 == " " }))
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        var message = Self.detail(response) ?? ProviderErrorText.excerpt(response.body)
        if response.status == 401 || response.status == 403 {
            message += "; check BFL_API_KEY (or BLACK_FOREST_LABS_API_KEY) or --api-key"
        }
        if response.status == 402 { message += "; add credits at https://dashboard.bfl.ai" }
        return message
    }

    /// BFL's errors are FastAPI's: `{"detail": "text"}` or `{"detail": [{"loc", "msg"}…]}`.
    static func detail(_ response: HTTPResponse) -> String? {
        guard let json = try? JSON.parse(response.body), let detail = json["detail"] else { return nil }
        if let text = detail.stringValue { return text }
        guard let items = detail.arrayValue else { return nil }
        let texts = items.compactMap { item -> String? in
            guard let message = item["msg"]?.stringValue else { return nil }
            let location = item["loc"]?.arrayValue?.compactMap { $0.stringValue ?? $0.intValue.map(String.init) }
            return (location.map { $0.joined(separator: ".") + ": " } ?? "") + message
        }
        return texts.isEmpty ? nil : texts.joined(separator: "; ")
    }

    /// 402: out of credits, which waiting does not cure (BFL's errors page).
    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool { response.status == 402 }
}
