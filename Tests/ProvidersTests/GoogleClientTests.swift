import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct GoogleRequestTests {
    static let configuration = GeminiConfiguration(apiKey: "AIzaSyUNIT-test-key")

    static func client(_ model: String, provider: ProviderKind = .gemini) throws -> GeminiClient {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: provider, model: model))
        return GeminiClient(model: model, configuration: configuration, knowledge: knowledge)
    }

    static func body(_ model: String, _ parameters: GenerationParameters = GenerationParameters()) throws -> String {
        let request = try client(model).makeRequests(for: GenerationRequest(prompt: "a kite", parameters: parameters))
        return String(decoding: request[0].body, as: UTF8.self)
    }

    @Test func geminiBodyWithNothingGivenAsksOnlyForImages() throws {
        #expect(
            try Self.body("gemini-3.1-flash-image")
                == #"{"contents":[{"role":"user","parts":[{"text":"a kite"}]}],"#
                + #""generationConfig":{"responseModalities":["TEXT","IMAGE"]}}"#)
    }

    @Test func geminiBodyMapsSizeCountSeedAndParams() throws {
        let parameters = GenerationParameters(
            n: 3, size: "1920x1080", seed: 5,
            extra: [
                Param(key: "temperature", value: .number("0.5")), Param(key: "aspectRatio", value: .string("21:9")),
            ])
        #expect(
            try Self.body("gemini-3-pro-image", parameters)
                == #"{"contents":[{"role":"user","parts":[{"text":"a kite"}]}],"generationConfig":{"#
                + #""responseModalities":["TEXT","IMAGE"],"candidateCount":3,"seed":5,"#
                + #""imageConfig":{"aspectRatio":"21:9","imageSize":"2K"},"temperature":0.5}}"#)
    }

    @Test func singleResolutionModelGetsNoImageSize() throws {
        let body = try Self.body("gemini-2.5-flash-image", GenerationParameters(size: "4096x4096"))
        #expect(body.contains(#""imageConfig":{"aspectRatio":"1:1"}"#))
    }

    @Test func imagenBodyCarriesOnlyPromptAndParameters() throws {
        #expect(
            try Self.body("imagen-4.0-generate-001", GenerationParameters(n: 2, size: "768x1024"))
                == #"{"instances":[{"prompt":"a kite"}],"parameters":{"sampleCount":2,"aspectRatio":"3:4","#
                + #""sampleImageSize":"1K"}}"#)
        #expect(try Self.body("imagen-3.0-generate-002") == #"{"instances":[{"prompt":"a kite"}]}"#)
    }

    @Test(arguments: [
        ("1024x1024", "1:1"), ("1536x1024", "3:2"), ("1024x1536", "2:3"), ("1920x1080", "16:9"),
        ("2560x1080", "21:9"), ("1000x800", "5:4"), ("800x1000", "4:5"), ("1024x768", "4:3"), ("5000x600", "21:9"),
    ])
    func sizeMapsToTheNearestRatio(size: String, ratio: String) {
        let rule = GoogleImageRule(api: .generateContent, aspectRatios: ModelCatalogue.geminiRatios)
        #expect(GoogleImageRule.nearest(ImageSize(size)!, among: rule.aspectRatios) == ratio)
    }

    @Test func tiersFollowThePixelCount() throws {
        let rule = GoogleImageRule(
            api: .generateContent, aspectRatios: ["1:1"], imageSizes: ModelCatalogue.geminiTiers)
        #expect(try rule.shape(for: "1024x1024").imageSize == "1K")
        #expect(try rule.shape(for: "1536x1024").imageSize == "2K")
        #expect(try rule.shape(for: "4096x4096").imageSize == "4K")
        #expect(try rule.shape(for: "8000x8000").imageSize == "4K")
        #expect(try rule.shape(for: "auto").aspectRatio == nil)
    }

    @Test func keyGoesInAHeaderNeverTheURL() throws {
        let request = try Self.client("gemini-3.1-flash-image").makeRequests(for: GenerationRequest(prompt: "x"))[0]
        #expect(
            request.url
                == "https://generativelanguage.googleapis.com/v1beta/models/gemini-3.1-flash-image:generateContent")
        #expect(request.headers.contains(HTTPHeader("x-goog-api-key", "AIzaSyUNIT-test-key")))
        #expect(!request.url.contains("key="))
    }

    @Test func catalogueChecksRefuseOptionsGoogleDoesNotTake() throws {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: .gemini, model: "imagen-4.0-generate-001"))
        #expect(throws: ImageGenError.self) {
            try knowledge.check(GenerationRequest(prompt: "x", parameters: GenerationParameters(n: 5)))
        }
        #expect(throws: ImageGenError.self) {
            try knowledge.check(GenerationRequest(prompt: "x", parameters: GenerationParameters(quality: "hd")))
        }
    }

    @Test func routingByPrefix() {
        #expect(
            Router.route(model: "gemini/gemini-3-pro-image", provider: nil)
                == Route(provider: .gemini, model: "gemini-3-pro-image"))
        #expect(
            Router.route(model: "vertex_ai/imagen-4.0-generate-001", provider: nil)
                == Route(provider: .vertexAI, model: "imagen-4.0-generate-001"))
    }

    @Test func retiredModelsAreRefusedOnGooglesOwnEndpoint() throws {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: .gemini, model: "gemini-3-pro-image-preview"))
        #expect(throws: ImageGenError.self) {
            _ = try knowledge.checkLifecycle(official: true, today: CalendarDate(2026, 11, 29))
        }
        #expect(try knowledge.checkLifecycle(official: false, today: CalendarDate(2026, 11, 29)) == nil)
    }
}

@Suite struct GoogleAnswerTests {
    static func response(_ json: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(json.utf8))
    }

    func parse(_ json: String, api: GoogleImageAPI = .generateContent) throws(ImageGenError) -> ProviderAnswer {
        try api.parse(Self.response(json), provider: .gemini)
    }

    func error(_ json: String, api: GoogleImageAPI = .generateContent) -> ImageGenError? {
        do {
            _ = try parse(json, api: api)
            return nil
        } catch {
            return error
        }
    }

    @Test func imagesAndUsageAreRead() throws {
        let answer = try parse(
            #"{"candidates":[{"content":{"parts":[{"text":"here"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0K"}}]},"#
                + #""finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1290,"totalTokenCount":1294}}"#
        )
        #expect(answer.images.count == 1)
        #expect(answer.images[0].b64JSON == "iVBORw0K")
        #expect(answer.usage?["output_tokens"] == .int(1290))
    }

    @Test func thoughtImagesAreSkipped() throws {
        let answer = try parse(
            #"{"candidates":[{"content":{"parts":[{"thought":true,"inlineData":{"mimeType":"image/png","data":"AAAA"}},"#
                + #"{"inlineData":{"mimeType":"image/png","data":"iVBORw0K"}}]}}]}"#)
        #expect(answer.images.map(\.b64JSON) == ["iVBORw0K"])
    }

    @Test func textOnlyIsABadAnswerQuotingTheModel() {
        let error = error(
            #"{"candidates":[{"content":{"parts":[{"text":"I cannot\u001b[2J draw that"}]},"finishReason":"STOP"}]}"#)
        #expect(error?.exitCode == 7)
        #expect(error?.message.contains("I cannot draw that") == true || error?.message.contains("I cannot") == true)
        #expect(error?.message.contains("\u{1b}") == false)
    }

    @Test func safetyStopsAreRefusals() {
        #expect(error(#"{"promptFeedback":{"blockReason":"SAFETY"}}"#)?.exitCode == 4)
        #expect(error(#"{"candidates":[{"finishReason":"IMAGE_SAFETY"}]}"#)?.exitCode == 4)
        #expect(error(#"{"candidates":[{"finishReason":"PROHIBITED_CONTENT","content":{"parts":[]}}]}"#)?.exitCode == 4)
        #expect(
            error(#"{"predictions":[{"raiFilteredReason":"blocked"}]}"#, api: .predict)?.exitCode == 4)
    }

    @Test func hostileShapesAreNamed() {
        #expect(error("not json")?.exitCode == 7)
        #expect(error(#"{"candidates":"x"}"#)?.exitCode == 7)
        #expect(error(#"{}"#)?.exitCode == 7)
        #expect(error(#"{"candidates":[]}"#)?.exitCode == 7)
        let mime = error(
            #"{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"text/html","data":"PGI+"}}]}}]}"#)
        #expect(mime?.exitCode == 7 && mime?.message.contains("text/html") == true)
        #expect(
            error(#"{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png"}}]}}]}"#)?.exitCode == 7)
        #expect(error(#"{"predictions":[{"mimeType":"image/png"}]}"#, api: .predict)?.exitCode == 7)
        #expect(error(#"{"predictions":[]}"#, api: .predict)?.exitCode == 7)
        #expect(
            error(#"{"predictions":[{"mimeType":"application/json","bytesBase64Encoded":"e30="}]}"#, api: .predict)?
                .exitCode == 7)
    }

    @Test func hugeBase64IsKeptAsASliceOfTheBody() throws {
        let big = String(repeating: "A", count: 8 << 20)
        let answer = try parse(
            #"{"predictions":[{"mimeType":"image/png","bytesBase64Encoded":""# + big + #""}]}"#, api: .predict)
        #expect(answer.images.first?.base64?.count == 8 << 20)
    }

    @Test func longModelTextIsCut() {
        let words = String(repeating: "word ", count: 1000)
        let error = error(#"{"candidates":[{"content":{"parts":[{"text":""# + words + #""}]}}]}"#)
        #expect((error?.message.count ?? 0) < 800)
    }

    @Test func googleErrorsShowMessageAndStatus() throws {
        let client = try GoogleRequestTests.client("gemini-3.1-flash-image")
        let response = Self.response(
            #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#,
            status: 400)
        #expect(client.errorMessage(for: response).contains("API key not valid"))
        #expect(client.errorMessage(for: response).contains("GEMINI_API_KEY"))
        #expect(client.errorCode(for: response) == "INVALID_ARGUMENT")
    }
}

@Suite struct GoogleCredentialTests {
    static var serviceAccountJSON: String {
        let url = FakeProcess.script("google_service_account.json")
        return String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }

    @Test func serviceAccountAssertionHasHeaderClaimsAndSignature() throws {
        let (source, project) = try GoogleCredentialFile.parse(
            Self.serviceAccountJSON, file: "sa.json", invalid: ImageGenError.configuration)
        #expect(project == "imagegen-test-project")
        var learned: [String] = []
        let request = try source.request(now: 1_764_000_000, learn: { learned.append($0) })
        #expect(request.url == "https://oauth2.googleapis.com/token")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.hasPrefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="))
        let jwt = try #require(learned.first)
        let pieces = jwt.split(separator: ".").map(String.init)
        #expect(pieces.count == 3)
        func decode(_ text: String) -> String {
            var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while standard.count % 4 != 0 { standard += "=" }
            return String(decoding: Base64.decode(standard) ?? [], as: UTF8.self)
        }
        #expect(decode(pieces[0]) == #"{"alg":"RS256","typ":"JWT","kid":"0123456789abcdef0123456789abcdef01234567"}"#)
        #expect(
            decode(pieces[1])
                == #"{"iss":"painter@imagegen-test-project.iam.gserviceaccount.com","#
                + #""scope":"https://www.googleapis.com/auth/cloud-platform","#
                + #""aud":"https://oauth2.googleapis.com/token","iat":1764000000,"exp":1764003600}"#)
        // 2048-bit RSA: 256 bytes, 342 base64url characters without padding.
        #expect(pieces[2].count == 342 && !pieces[2].contains("="))
    }

    @Test func verboseLogMasksTheFormSecrets() throws {
        let source = GoogleCredentialSource.authorizedUser(
            clientID: "cid", clientSecret: "s/ecret", refreshToken: "1//refresh", tokenURI: "https://t.example/token",
            file: "adc.json")
        let request = try source.request(now: 0, learn: { _ in })
        let log = String(decoding: try #require(TransferLog.maskingFormTokens(request)), as: UTF8.self)
        #expect(
            log == "grant_type=refresh_token&client_id=cid&client_secret=[REDACTED]&refresh_token=[REDACTED]")
    }

    @Test func signingRefusesWhatIsNotAnRSAKey() {
        #expect(throws: ImageGenError.self) {
            _ = try GoogleJWT.assertion(
                email: "a@b", privateKey: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n",
                keyID: nil, audience: "https://oauth2.googleapis.com/token", issuedAt: 0, file: "f")
        }
    }

    @Test func otherCredentialTypesAreNamed() {
        do {
            _ = try GoogleCredentialFile.parse(
                #"{"type":"external_account"}"#, file: "wif.json", invalid: ImageGenError.configuration)
            Issue.record("accepted an external_account file")
        } catch {
            #expect(error.exitCode == 3 && error.message.contains("external_account"))
        }
    }

    @Test func tokenAnswersAreChecked() {
        let source = GoogleCredentialSource.metadata(host: "127.0.0.1:1")
        func answer(_ json: String, status: Int = 200) -> Result<GoogleAccessToken, ImageGenError> {
            source.token(from: .success(GoogleAnswerTests.response(json, status: status)), now: 100)
        }
        #expect(
            (try? answer(#"{"access_token":"ya29.a","expires_in":3599,"token_type":"Bearer"}"#).get())
                == GoogleAccessToken(token: "ya29.a", expiration: 3699))
        #expect((try? answer(#"{"access_token":"bad\r\ntoken","expires_in":10}"#).get()) == nil)
        #expect((try? answer(#"{"expires_in":10}"#).get()) == nil)
        #expect((try? answer(#"{"access_token":"t","token_type":"MAC"}"#).get()) == nil)
        if case .failure(let error) = answer(#"{"error":"invalid_grant","error_description":"Bad"}"#, status: 400) {
            #expect(error.exitCode == 4 && error.message.contains("invalid_grant"))
        } else {
            Issue.record("a refused grant was accepted")
        }
    }

    @Test func vertexConfigurationPrecedenceAndHosts() throws {
        var options = ConnectionOptions()
        options.vertexCredentials = Self.serviceAccountJSON
        let fromFile = try VertexConfiguration.resolve(options, environment: Environment([:]))
        #expect(fromFile.project == "imagegen-test-project" && fromFile.location == "us-central1")
        #expect(fromFile.apiBase == "https://us-central1-aiplatform.googleapis.com/v1")
        let environment = Environment(["VERTEXAI_PROJECT": "env-project", "VERTEXAI_LOCATION": "global"])
        let fromEnvironment = try VertexConfiguration.resolve(options, environment: environment)
        #expect(fromEnvironment.project == "env-project")
        #expect(fromEnvironment.apiBase == "https://aiplatform.googleapis.com/v1")
        options.vertexProject = "flag-project"
        options.vertexLocation = "europe-west4"
        let fromFlags = try VertexConfiguration.resolve(options, environment: environment)
        #expect(fromFlags.project == "flag-project" && fromFlags.location == "europe-west4")
        options.vertexLocation = "us-central1/../x"
        #expect(throws: ImageGenError.self) { try VertexConfiguration.resolve(options, environment: environment) }
    }

    @Test func metadataServerNeedsAProject() {
        #expect(throws: ImageGenError.self) {
            try VertexConfiguration.resolve(ConnectionOptions(), environment: Environment(["HOME": "/nonexistent"]))
        }
    }

    @Test func tokensAreRefreshedInTheBackgroundBeforeExpiry() throws {
        let clock = Mutex(1000.0)
        let provider = GoogleTokenProvider(
            source: .metadata(host: "127.0.0.1:1"), link: "test", now: { clock.withLock { $0 } })
        let issued = Mutex(0)
        let send: GoogleTokenSend = { _, done in
            let number = issued.withLock {
                $0 += 1
                return $0
            }
            done(.success(GoogleAnswerTests.response(#"{"access_token":"tok-\#(number)","expires_in":1000}"#)))
        }
        #expect(try provider.fetch(send: send, run: {}, learn: { _ in }) == "tok-1")
        #expect(provider.token() == "tok-1")
        #expect(issued.withLock { $0 } == 1)
        clock.withLock { $0 = 1800 }  // 200 s left: inside the refresh window
        #expect(provider.token() == "tok-1")  // this request still uses the valid old token
        #expect(issued.withLock { $0 } == 2)
        #expect(provider.token() == "tok-2")
    }
}
