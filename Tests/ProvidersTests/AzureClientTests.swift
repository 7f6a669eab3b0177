import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct AzureURLTests {
    func url(_ base: String, _ deployment: String = "my-dalle3", version: String = "2024-10-21") -> String {
        AzureConfiguration(credential: .apiKey("k"), apiBase: base, apiVersion: version)
            .generationsURL(deployment: deployment)
    }

    @Test(arguments: [
        "https://res.openai.azure.com", "https://res.openai.azure.com/", "https://res.openai.azure.com//",
    ])
    func baseWithOrWithoutTrailingSlash(base: String) {
        #expect(
            url(base)
                == "https://res.openai.azure.com/openai/deployments/my-dalle3/images/generations?api-version=2024-10-21"
        )
    }

    @Test func deploymentIsOnePercentEncodedPathSegment() {
        #expect(
            url("https://r", "a b/c?d#e%f:ü")
                == "https://r/openai/deployments/a%20b%2Fc%3Fd%23e%25f%3A%C3%BC/images/generations?api-version=2024-10-21"
        )
        #expect(
            url("https://r", "Dall-E_3.v~1")
                == "https://r/openai/deployments/Dall-E_3.v~1/images/generations?api-version=2024-10-21")
        #expect(
            url("https://r", version: "2024 x&y")
                == "https://r/openai/deployments/my-dalle3/images/generations?api-version=2024%20x%26y")
    }

    @Test func editsLiveBesideGenerations() {
        func edits(_ base: String, version: String = "2024-10-21") -> String {
            AzureConfiguration(credential: .apiKey("k"), apiBase: base, apiVersion: version)
                .editsURL(deployment: "painter")
        }
        #expect(
            edits("https://r/") == "https://r/openai/deployments/painter/images/edits?api-version=2024-10-21")
        #expect(
            edits("https://r/openai/deployments/other")
                == "https://r/openai/deployments/other/images/edits?api-version=2024-10-21")
        #expect(
            edits("https://r/openai/deployments/other/images/generations")
                == "https://r/openai/deployments/other/images/edits?api-version=2024-10-21")
        #expect(edits("https://r/openai", version: "v1") == "https://r/openai/v1/images/edits")
        #expect(edits("https://r", version: "preview") == "https://r/openai/v1/images/edits?api-version=preview")
    }

    @Test func baseThatAlreadyNamesADeploymentIsUsedAsIs() {
        #expect(
            url("https://r/openai/deployments/other/")
                == "https://r/openai/deployments/other/images/generations?api-version=2024-10-21")
        #expect(
            url("https://r/openai/deployments/other/images/generations")
                == "https://r/openai/deployments/other/images/generations?api-version=2024-10-21")
    }

    @Test func v1VersionsUseTheResourceV1Path() {
        #expect(
            url("https://r.openai.azure.com/", version: "preview")
                == "https://r.openai.azure.com/openai/v1/images/generations?api-version=preview")
        #expect(
            url("https://r.openai.azure.com/openai/v1/", version: "latest")
                == "https://r.openai.azure.com/openai/v1/images/generations?api-version=latest")
        #expect(
            url("https://openai.example/openai/deployments/x", version: "v1")
                == "https://openai.example/openai/v1/images/generations")
    }

    @Test func defaultVersionServesImagesModels() {
        #expect(AzureConfiguration.defaultAPIVersion == "2025-04-01-preview")
    }
}

@Suite struct AzureConfigurationTests {
    func resolve(
        _ env: [String: String], flags: (inout ConnectionOptions) -> Void = { _ in }
    ) throws(ImageGenError) -> AzureConfiguration {
        var options = ConnectionOptions()
        flags(&options)
        return try AzureConfiguration.resolve(options, environment: Environment(env))
    }

    let all = [
        "AZURE_API_KEY": "key-a", "AZURE_OPENAI_API_KEY": "key-b", "AZURE_AD_TOKEN": "tok-c",
        "AZURE_API_BASE": "https://a", "AZURE_OPENAI_ENDPOINT": "https://b", "AZURE_API_VERSION": "2024-10-21",
    ]

    @Test func keyPrecedence() throws {
        #expect(try resolve(all) { $0.apiKey = "key-flag" }.credential == .apiKey("key-flag"))
        #expect(try resolve(all).credential == .apiKey("key-a"))
        #expect(try resolve(all).credentialSource == "AZURE_API_KEY")
        var env = all
        env["AZURE_API_KEY"] = nil
        #expect(try resolve(env).credential == .apiKey("key-b"))
        env["AZURE_OPENAI_API_KEY"] = ""
        #expect(try resolve(env).credential == .adToken("tok-c"), "an empty variable counts as unset")
        #expect(try resolve(env) { $0.apiKey = "key-flag" }.credential == .apiKey("key-flag"), "a key beats the token")
    }

    @Test func baseAndVersionPrecedence() throws {
        #expect(try resolve(all) { $0.apiBase = "https://flag" }.apiBase == "https://flag")
        #expect(try resolve(all).apiBase == "https://a")
        var env = all
        env["AZURE_API_BASE"] = nil
        #expect(try resolve(env).apiBase == "https://b")
        #expect(try resolve(all) { $0.apiVersion = "preview" }.apiVersion == "preview")
        #expect(try resolve(all).apiVersion == "2024-10-21")
        env["AZURE_API_VERSION"] = nil
        #expect(try resolve(env).apiVersion == AzureConfiguration.defaultAPIVersion)
    }

    @Test func missingSettingsAreAllNamedInOneMessage() {
        let noBase =
            "no Azure API base: pass --api-base https://RESOURCE.openai.azure.com or export AZURE_API_BASE "
            + "(or AZURE_OPENAI_ENDPOINT)"
        let noKey =
            "no Azure credentials: pass --api-key KEY or export AZURE_API_KEY (or AZURE_OPENAI_API_KEY), "
            + "or export AZURE_AD_TOKEN for a Microsoft Entra ID token, or store a key with imagegen keys set azure"
        #expect(throws: ImageGenError.configuration(noBase + "; " + noKey)) { try resolve([:]) }
        #expect(throws: ImageGenError.configuration(noBase)) { try resolve(["AZURE_API_KEY": "k"]) }
        #expect(throws: ImageGenError.configuration(noKey)) { try resolve(["AZURE_OPENAI_ENDPOINT": "https://b"]) }
        #expect(throws: ImageGenError.configuration(noKey)) {
            try resolve(["AZURE_OPENAI_ENDPOINT": "https://b", "OPENAI_API_KEY": "sk-openai"])
        }
    }

    @Test func badBasesAndVersions() {
        #expect(
            throws: ImageGenError.configuration(
                "AZURE_API_BASE must be an http:// or https:// URL, got 'res.openai.azure.com'")
        ) {
            try resolve(["AZURE_API_KEY": "k", "AZURE_API_BASE": "res.openai.azure.com"])
        }
        #expect(
            throws: ImageGenError.usage(
                "--api-base must not contain a query ('?…'); give the resource endpoint "
                    + "(https://RESOURCE.openai.azure.com) and the version with --api-version")
        ) {
            try resolve(["AZURE_API_KEY": "k"]) {
                $0.apiBase = "https://r/openai/deployments/d/images/generations?api-version=1"
            }
        }
        #expect(throws: ImageGenError.usage("--api-version needs a version, e.g. 2025-04-01-preview")) {
            try resolve(all) { $0.apiVersion = "" }
        }
    }
}

@Suite struct AzureClientTests {
    let configuration = AzureConfiguration(
        credential: .apiKey("azure-secret-key"), credentialSource: "AZURE_API_KEY",
        apiBase: "https://res.openai.azure.com", apiVersion: "2024-10-21")

    func knowledge(_ deployment: String) throws(ImageGenError) -> ModelKnowledge {
        try ModelCatalogue.knowledge(for: Route(provider: .azure, model: deployment))
    }

    func client(_ deployment: String = "my-dalle3", _ configuration: AzureConfiguration? = nil) throws -> AzureClient {
        AzureClient(
            deployment: deployment, configuration: configuration ?? self.configuration,
            knowledge: try knowledge(deployment))
    }

    @Test func requestHeadersAndBodyWithoutTheDeploymentAsModel() throws {
        let requests = try client().makeRequests(
            for: GenerationRequest(
                prompt: "otter", parameters: GenerationParameters(n: 2, quality: "hd")))
        #expect(requests.count == 1, "an unknown deployment gets no fan-out")
        #expect(requests[0].method == "POST")
        #expect(
            requests[0].url
                == "https://res.openai.azure.com/openai/deployments/my-dalle3/images/generations?api-version=2024-10-21"
        )
        #expect(requests[0].header("api-key") == "azure-secret-key")
        #expect(requests[0].header("authorization") == nil)
        #expect(requests[0].header("content-type") == "application/json")
        #expect(String(decoding: requests[0].body, as: UTF8.self) == #"{"prompt":"otter","n":2,"quality":"hd"}"#)
        #expect(try client().secrets == ["azure-secret-key"])
    }

    @Test func modelParamIsStillSentWhenGiven() throws {
        let request = GenerationRequest(
            prompt: "p", parameters: GenerationParameters(extra: [Param(key: "model", value: .string("gpt-image-1"))]))
        #expect(
            String(decoding: try client("x").makeRequests(for: request)[0].body, as: UTF8.self)
                == #"{"model":"gpt-image-1","prompt":"p"}"#)
    }

    @Test func adTokenIsABearerHeader() throws {
        var configuration = configuration
        configuration.credential = .adToken("eyJ-token")
        let request = try client("d", configuration).makeRequests(for: GenerationRequest(prompt: "p"))[0]
        #expect(request.header("authorization") == "Bearer eyJ-token")
        #expect(request.header("api-key") == nil)
        #expect(try client("d", configuration).secrets == ["eyJ-token"])
    }

    @Test func v1APISendsTheDeploymentAsModel() throws {
        var configuration = configuration
        configuration.apiVersion = "preview"
        let request = try client("team-images", configuration).makeRequests(for: GenerationRequest(prompt: "p"))[0]
        #expect(request.url == "https://res.openai.azure.com/openai/v1/images/generations?api-version=preview")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"model":"team-images","prompt":"p"}"#)
    }

    @Test func deploymentNamedAfterAModelGetsItsLimitsAndFanOut() throws {
        let requests = try client("dall-e-3").makeRequests(
            for: GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 3)))
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { String(decoding: $0.body, as: UTF8.self) == #"{"prompt":"p","n":1}"# })
        #expect(
            throws: ImageGenError.usage(
                "dall-e-3 does not support --size 256x256; use one of: 1024x1024, 1792x1024, 1024x1792")
        ) {
            try knowledge("dall-e-3").check(
                GenerationRequest(prompt: "p", parameters: GenerationParameters(size: "256x256")))
        }
        try knowledge("x").check(GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 50, size: "7x7")))
        #expect(throws: ImageGenError.self) {
            try knowledge("").check(GenerationRequest(prompt: "p"))
        }
    }

    @Test func parsesRevisedPromptAndFilterResults() throws {
        let body =
            #"{"created":1700000000,"data":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"#
            + #""prompt_filter_results":{"violence":{"filtered":false,"severity":"low"}},"#
            + #""revised_prompt":"A lighthouse at dusk","url":"https://blob/x.png"}]}"#
        let answer = try client().parseSuccess(HTTPResponse(status: 200, body: Array(body.utf8)))
        #expect(answer.created == 1_700_000_000)
        let image = try #require(answer.images.first)
        #expect(image.revisedPrompt == "A lighthouse at dusk")
        #expect(image.url == "https://blob/x.png")
        #expect(image.extra.map(\.0) == ["content_filter_results", "prompt_filter_results"])
        #expect(image.extra.first?.1["hate"]?["severity"] == .string("safe"))
    }

    func message(_ status: Int, _ body: String, _ client: AzureClient? = nil) throws -> String {
        (try client ?? self.client()).errorMessage(for: HTTPResponse(status: status, body: Array(body.utf8)))
    }

    @Test func contentFilterNamesTheFilteredCategories() throws {
        let dallE3 =
            #"{"error":{"code":"content_policy_violation","inner_error":{"code":"ResponsibleAIPolicyViolation","#
            + #""content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"#
            + #""violence":{"filtered":true,"severity":"medium"},"self_harm":{"filtered":true,"severity":"high"},"#
            + #""jailbreak":{"filtered":false,"detected":false}}},"#
            + #""message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error"}}"#
        #expect(
            try message(400, dallE3)
                == "Your request was rejected as a result of our safety system. (content_policy_violation); "
                + "filtered: violence (medium), self harm (high); Azure's content filter refused it, rephrase the prompt"
        )

        let plain =
            #"{"created":1698435368,"error":{"code":"contentFilter","message":"Your task failed as a result of our safety system.","status":"Failed"}}"#
        #expect(
            try message(400, plain) == "Your task failed as a result of our safety system. (contentFilter); "
                + "Azure's content filter refused it, rephrase the prompt")

        let outer =
            #"{"error":{"code":"content_filter","message":"Blocked.","content_filter_results":{"#
            + #""jailbreak":{"filtered":true,"detected":true},"custom_blocklists":{"filtered":true,"details":[{"filtered":true,"id":"brands"}]}}}}"#
        #expect(
            try message(400, outer) == "Blocked. (content_filter); filtered: jailbreak, custom blocklists (brands); "
                + "Azure's content filter refused it, rephrase the prompt")
    }

    @Test func unknownDeployment() throws {
        let body =
            #"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}"#
        #expect(
            try message(404, body) == "deployment 'my-dalle3' not found at https://res.openai.azure.com "
                + "(The API deployment for this resource does not exist.); check the deployment name (the part after azure/) "
                + "and the resource endpoint")
        var named = configuration
        named.apiBase = "https://res.openai.azure.com/openai/deployments/from-base"
        #expect(try message(404, body, try client("ignored", named)).hasPrefix("deployment 'from-base' not found"))
    }

    @Test(arguments: [
        (400, #"{"error":{"code":"BadRequest","message":"API version not supported"}}"#),
        (404, #"{"error":{"code":"404","message":"The api-version '2099-01-01' is invalid."}}"#),
    ])
    func unservedApiVersion(status: Int, body: String) throws {
        #expect(try message(status, body).hasPrefix("api-version '2024-10-21' is not supported ("))
        #expect(
            try message(status, body).hasSuffix(
                "; pass --api-version or set AZURE_API_VERSION to one the resource serves, "
                    + "e.g. 2025-04-01-preview"))
    }

    @Test func resourceNotFoundPointsAtBaseAndVersion() throws {
        #expect(
            try message(404, #"{"error":{"code":"404","message":"Resource not found"}}"#)
                == "Resource not found (404); check that --api-base (now https://res.openai.azure.com) is the resource "
                + "endpoint, e.g. https://NAME.openai.azure.com, and that api-version '2024-10-21' serves images")
    }

    @Test func refusedKeyOrToken() throws {
        let body =
            #"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. "#
            + #"Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"#
        let text = try message(401, body)
        #expect(text.hasPrefix("Access denied due to invalid subscription key or wrong API endpoint."))
        #expect(
            text.hasSuffix(
                "(401); check the key (from AZURE_API_KEY; set it with --api-key, AZURE_API_KEY or "
                    + "AZURE_OPENAI_API_KEY) and that https://res.openai.azure.com is that key's resource endpoint"))
        var token = configuration
        token.credential = .adToken("t0ken")
        #expect(
            try message(
                401,
                #"{"error":{"code":"PermissionDenied","message":"Unauthorized. Access token is missing, invalid, "#
                    + #"audience is incorrect (https://cognitiveservices.azure.com), or have expired."}}"#,
                try client("d", token)
            )
            .contains("; the Microsoft Entra ID token in AZURE_AD_TOKEN was refused"))
    }

    @Test func otherErrorsKeepAzuresWords() throws {
        #expect(
            try message(
                429,
                #"{"error":{"code":"429","message":"Requests have exceeded call rate limit. Please retry after 6 seconds."}}"#
            )
                == "Requests have exceeded call rate limit. Please retry after 6 seconds. (429)")
        #expect(
            try message(
                400, #"{"error":{"code":"invalid_request_error","message":"You must provide n=1 for this model."}}"#
            )
            .hasSuffix(
                "this deployment makes one image per request: ask for one image, or name the deployment after "
                    + "its model (dall-e-3) so that -n N is sent as N requests"))
        #expect(try message(502, "Bad gateway") == "Bad gateway")
    }
}
