import ImageGenCore
import ImageGenHTTP

/// Reading what the credential links answer: a `credential_process`
/// command's JSON, the container and instance endpoints' JSON, STS's XML,
/// and the ISO 8601 expiry times they all use.
extension AWSCredentialSource {
    /// Runs `credential_process` and reads its answer.
    static func runProcess(_ command: String, profile: String) -> Result<TemporaryCredentials, ImageGenError> {
        let step = "credential_process of AWS profile '\(profile)'"
        switch ShellCommand.run(command) {
        case .failure(let failure):
            return .failure(.configuration("cannot run the \(step) (\(command)): \(failure.message)"))
        case .success(let outcome):
            guard outcome.status == 0 else {
                return .failure(
                    .configuration(
                        "the \(step) (\(command)) exited with status \(outcome.status); run it yourself to see why"))
            }
            guard !outcome.truncated else {
                return .failure(.configuration("the \(step) printed more than 1 MiB; it should print one JSON object"))
            }
            return processCredentials(outcome.output, step: step)
        }
    }

    /// The JSON a credential process prints (`Version` 1).
    static func processCredentials(_ output: [UInt8], step: String) -> Result<TemporaryCredentials, ImageGenError> {
        guard let json = try? JSON.parse(output) else {
            return .failure(.configuration("the \(step) did not print a JSON object"))
        }
        guard json["Version"]?.intValue == 1 else {
            return .failure(
                .configuration(
                    "the \(step) printed Version \(json["Version"]?.intValue.map(String.init) ?? json["Version"]?.stringValue ?? "(none)"); only 1 is known"
                ))
        }
        guard let id = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue,
            !id.isEmpty, !secret.isEmpty
        else {
            return .failure(.configuration("the \(step) printed no AccessKeyId and SecretAccessKey"))
        }
        var expiration: Double?
        if let text = json["Expiration"]?.stringValue {
            guard let seconds = ISO8601.unixSeconds(text) else {
                return .failure(.configuration("the \(step) printed an Expiration that is not ISO 8601: '\(text)'"))
            }
            expiration = seconds
        }
        return .success(
            TemporaryCredentials(
                credentials: AWSCredentials(
                    accessKeyID: id, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue),
                expiration: expiration))
    }

    /// Whether a value would break the header it goes into (a CR or LF would add lines).
    static func unsafe(_ value: String) -> Bool {
        (try? HeaderValue.check(value, source: "")) == nil
    }

    /// `application/x-www-form-urlencoded`, as the SDKs write the STS query protocol.
    static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\(HTTPURL.percentEncode($0.0))=\(HTTPURL.percentEncode($0.1))" }.joined(separator: "&")
    }

    static func failure(_ outcome: TransferOutcome, step: String, fix: String) -> ImageGenError? {
        switch outcome {
        case .failure(let error):
            switch error {
            case .network(let text), .timeout(let text), .tls(let text):
                return .network("cannot get AWS credentials from \(step): \(text); \(fix)")
            default:
                return error
            }
        case .success(let response) where response.status != 200:
            return .rejected(
                provider: .bedrock, status: response.status,
                message: "\(step) answered HTTP \(response.status): "
                    + ProviderErrorText.excerpt(response.body) + "; \(fix)")
        case .success:
            return nil
        }
    }

    static func text(_ outcome: TransferOutcome, step: String, fix: String) -> Result<String, ImageGenError> {
        if let error = failure(outcome, step: step, fix: fix) { return .failure(error) }
        guard case .success(let response) = outcome else { return .failure(.internal("no answer")) }
        return .success(String(decoding: response.body, as: UTF8.self).trimmingASCIIWhitespace())
    }

    /// The JSON the container endpoint and IMDS answer with.
    static func jsonCredentials(
        _ outcome: TransferOutcome, step: String, fix: String
    ) -> Result<TemporaryCredentials, ImageGenError> {
        if let error = failure(outcome, step: step, fix: fix) { return .failure(error) }
        guard case .success(let response) = outcome, let json = try? JSON.parse(response.body),
            let id = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue
        else {
            return .failure(.badResponse(provider: .bedrock, message: "\(step) answered without AccessKeyId"))
        }
        return .success(
            TemporaryCredentials(
                credentials: AWSCredentials(
                    accessKeyID: id, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue),
                expiration: json["Expiration"]?.stringValue.flatMap(ISO8601.unixSeconds)))
    }
}

/// STS's query-protocol answers: XML with the keys, or an `<Error>`.
enum STSAnswer {
    static func credentials(
        _ outcome: TransferOutcome, action: String, role: String
    ) -> Result<TemporaryCredentials, ImageGenError> {
        let step = "STS \(action) for \(role)"
        switch outcome {
        case .failure(let error):
            return .failure(
                AWSCredentialSource.failure(
                    .failure(error), step: step, fix: "check the network and AWS_ENDPOINT_URL_STS")
                    ?? error)
        case .success(let response) where response.status != 200:
            let text = String(decoding: response.body, as: UTF8.self)
            let code = element("Code", in: text)
            let message = element("Message", in: text) ?? ProviderErrorText.excerpt(response.body)
            var fix = "check that the role's trust policy allows these credentials to assume it"
            if code == "ExpiredTokenException" { fix = "the source credentials have expired; renew them" }
            return .failure(
                .rejected(
                    provider: .bedrock, status: response.status,
                    message: "\(step) was refused: \(message)\(code.map { " (\($0))" } ?? ""); \(fix)", code: code))
        case .success(let response):
            let text = String(decoding: response.body, as: UTF8.self)
            guard let id = element("AccessKeyId", in: text), let secret = element("SecretAccessKey", in: text)
            else {
                return .failure(.badResponse(provider: .bedrock, message: "\(step) answered without AccessKeyId"))
            }
            return .success(
                TemporaryCredentials(
                    credentials: AWSCredentials(
                        accessKeyID: id, secretAccessKey: secret, sessionToken: element("SessionToken", in: text)),
                    expiration: element("Expiration", in: text).flatMap(ISO8601.unixSeconds)))
        }
    }

    /// The text of the first `<name>…</name>`, entities decoded; enough for
    /// STS's flat answers.
    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.firstRange(of: "<\(name)>"),
            let close = text[open.upperBound...].firstRange(of: "</\(name)>")
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
            .replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&").trimmingASCIIWhitespace()
    }
}

/// `2026-11-29T21:32:55Z` (fraction and `+00:00` allowed) → Unix seconds.
package enum ISO8601 {
    package static func unixSeconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month)
        else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra - 719468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second)
    }
}
