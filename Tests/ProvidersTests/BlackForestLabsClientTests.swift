import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct BlackForestLabsClientTests {
    static let key = "bfl-test-key-123"

    func client(base: String = "https://api.bfl.ai", model: String = "flux-pro-1.1") -> BlackForestLabsClient {
        BlackForestLabsClient(
            model: model,
            configuration: BlackForestLabsConfiguration(
                endpoint: HostedEndpoint(apiKey: Self.key, apiBase: base), taskLimit: 30))
    }

    func response(_ json: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(json.utf8))
    }

    @Test func theSubmissionCarriesTheKeyAndTheOptionsAsBFLNamesThem() throws {
        var parameters = GenerationParameters(n: 2, size: "1024x768", outputFormat: "png", seed: 42)
        parameters.extra = [Param(key: "safety_tolerance", value: .int(6)), Param(key: "seed", value: .int(7))]
        let requests = try client().makeRequests(for: GenerationRequest(prompt: "a fox", parameters: parameters))
        #expect(requests.count == 2, "one task per image")
        #expect(requests[0].method == "POST")
        #expect(requests[0].url == "https://api.bfl.ai/v1/flux-pro-1.1")
        #expect(requests[0].header("x-key") == Self.key)
        #expect(requests[0].header("authorization") == nil)
        #expect(
            try JSON.parse(requests[0].body)
                == .object([
                    ("prompt", .string("a fox")), ("width", .int(1024)), ("height", .int(768)), ("seed", .int(7)),
                    ("output_format", .string("png")), ("safety_tolerance", .int(6)),
                ]))
    }

    @Test func aBaseEndingInV1IsNotDoubled() {
        let configuration = BlackForestLabsConfiguration(
            endpoint: HostedEndpoint(apiKey: "k", apiBase: "http://h:1/v1/"))
        #expect(configuration.submitURL(model: "flux-dev") == "http://h:1/v1/flux-dev")
    }

    @Test func theKeyGoesOnlyToTheSubmitHostAndToBFLsHTTPSAPIHosts() {
        let configuration = BlackForestLabsConfiguration(
            endpoint: HostedEndpoint(apiKey: "k", apiBase: "http://127.0.0.1:4000"))
        #expect(configuration.sendsKey(to: "http://127.0.0.1:4000/v1/get_result?id=1"))
        #expect(!configuration.sendsKey(to: "http://127.0.0.1:4001/v1/get_result?id=1"), "another port is another host")
        #expect(!configuration.sendsKey(to: "http://localhost:4000/v1/get_result?id=1"))
        #expect(configuration.sendsKey(to: "https://api.bfl.ai/v1/get_result?id=1"))
        #expect(configuration.sendsKey(to: "https://api.eu1.bfl.ai/v1/get_result?id=1"))
        #expect(configuration.sendsKey(to: "https://API.US.BFL.AI/v1/get_result?id=1"))
        #expect(!configuration.sendsKey(to: "http://api.eu1.bfl.ai/v1/get_result?id=1"), "never in clear text")
        #expect(!configuration.sendsKey(to: "https://delivery-eu1.bfl.ai/x"))
        #expect(!configuration.sendsKey(to: "https://api.bfl.ai.evil.example/v1/get_result"))
        #expect(!configuration.sendsKey(to: "https://evil.example/api.bfl.ai"))
        #expect(!configuration.sendsKey(to: "https://api.x.y.bfl.ai/v1/get_result"))
        #expect(!configuration.sendsKey(to: "https://user@evil.example/?api.bfl.ai"))
    }

    @Test func theSubmissionAnswerIsAPendingTaskWithItsCost() throws {
        let submit = try #require(try client().makeRequests(for: GenerationRequest(prompt: "p")).first)
        let answer = try client().parseSuccess(
            response(#"{"id":"t-1","polling_url":"https://api.eu1.bfl.ai/v1/get_result?id=t-1","cost":4.5}"#),
            to: submit)
        #expect(answer.images.isEmpty)
        let pending = try #require(answer.pending)
        #expect(pending.poll.method == "GET")
        #expect(pending.poll.url == "https://api.eu1.bfl.ai/v1/get_result?id=t-1")
        #expect(pending.poll.header("x-key") == Self.key)
        #expect(pending.after == 0.5)
        #expect(pending.limit == 30)
        #expect(pending.task == "t-1")
        #expect(pending.usage == .object([("cost", .number("4.5"))]))
    }

    @Test func aForeignPollingURLIsPolledWithoutTheKey() throws {
        let submit = try #require(try client().makeRequests(for: GenerationRequest(prompt: "p")).first)
        let answer = try client().parseSuccess(
            response(#"{"id":"t-1","polling_url":"https://collector.example/v1/get_result?id=t-1"}"#), to: submit)
        let poll = try #require(answer.pending?.poll)
        #expect(poll.header("x-key") == nil)
        #expect(poll.headers == [HTTPHeader("Accept", "application/json")])
    }

    @Test func pollAnswersMeanReadyPendingOrAFailureWithItsReason() throws {
        let poll = HTTPRequest(method: "GET", url: "https://api.bfl.ai/v1/get_result?id=t")
        let ready = try client().parseSuccess(
            response(#"{"id":"t","status":"Ready","result":{"sample":"https://delivery-eu1.bfl.ai/r.png","seed":9}}"#),
            to: poll)
        #expect(ready.images.map(\.url) == ["https://delivery-eu1.bfl.ai/r.png"])
        #expect(ready.pending == nil)

        let pending = try client().parseSuccess(response(#"{"id":"t","status":"Pending","result":null}"#), to: poll)
        #expect(pending.pending?.poll == poll, "the same URL is polled again")
        #expect(pending.pending?.status == "Pending")

        for status in ["Error", "Failed", "Content Moderated", "Request Moderated", "Task not found"] {
            #expect(throws: ImageGenError.self) {
                try client().parseSuccess(
                    response(#"{"id":"t","status":"\#(status)","details":{"Moderation Reasons":["Sexual"]}}"#), to: poll
                )
            }
            do {
                _ = try client().parseSuccess(
                    response(#"{"id":"t","status":"\#(status)","details":{"Moderation Reasons":["Sexual"]}}"#), to: poll
                )
            } catch {
                #expect(error.exitCode == 4)
                #expect(error.message.contains(status))
                #expect(error.message.contains("Moderation Reasons"))
            }
        }
    }

    @Test func hostileAnswersAreBadResponsesNotCrashes() throws {
        let submit = HTTPRequest(method: "POST", url: "https://api.bfl.ai/v1/flux-dev")
        let poll = HTTPRequest(method: "GET", url: "https://api.bfl.ai/v1/get_result?id=t")
        let cases: [(String, HTTPRequest)] = [
            ("not json", submit), (#"{"polling_url":"https://api.bfl.ai/x"}"#, submit),
            (#"{"id":"t","polling_url":"file:///etc/passwd"}"#, submit),
            (#"{"id":"t","polling_url":"https://api.bfl.ai/x\r\nx-key: y"}"#, submit),
            (#"{"id":"t","polling_url":7}"#, submit), (#"[]"#, poll), (#"{"id":"t"}"#, poll),
            (#"{"id":"t","status":"Ready"}"#, poll),
            (#"{"id":"t","status":"Ready","result":{"sample":"ftp://x"}}"#, poll),
            (#"{"id":"t","status":"Ready","result":{"sample":"https://a b"}}"#, poll),
            (#"{"id":"t\u001b[31m","status":"Exploded\u0007"}"#, poll),
        ]
        for (body, request) in cases {
            do {
                _ = try client().parseSuccess(response(body), to: request)
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.exitCode == 7, "\(body): \(error)")
                #expect(!error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(body)")
            }
        }
    }

    @Test func errorsReadFastAPIDetailAndNameTheVariables() {
        let validation = response(
            #"{"detail":[{"loc":["body","width"],"msg":"Input should be a multiple of 32","type":"x"}]}"#, status: 422)
        #expect(client().errorMessage(for: validation) == "body.width: Input should be a multiple of 32")
        let forbidden = response(#"{"detail":"Invalid API key"}"#, status: 403)
        #expect(client().errorMessage(for: forbidden).contains("BFL_API_KEY"))
        #expect(client().isQuotaExhausted(response("{}", status: 402)))
    }

    @Test func configurationReadsLiteLLMsVariablesAndHonoursTheBase() throws {
        var options = ConnectionOptions()
        options.timeout = 12
        let fromSecond = try BlackForestLabsConfiguration.resolve(
            options, environment: Environment(["BLACK_FOREST_LABS_API_KEY": "k2", "BFL_API_BASE": "http://h:1"]))
        #expect(fromSecond.endpoint.apiKey == "k2")
        #expect(fromSecond.endpoint.apiBase == "http://h:1")
        #expect(fromSecond.taskLimit == 12)
        let first = try BlackForestLabsConfiguration.resolve(
            ConnectionOptions(), environment: Environment(["BFL_API_KEY": "k1", "BLACK_FOREST_LABS_API_KEY": "k2"]))
        #expect(first.endpoint.apiKey == "k1")
        #expect(first.endpoint.apiBase == "https://api.bfl.ai")
        #expect(throws: ImageGenError.self) {
            try BlackForestLabsConfiguration.resolve(ConnectionOptions(), environment: Environment())
        }
    }
}
