import Foundation
import TestSupport
import Testing

/// Bedrock end to end: the built binary against the strict fake runtime,
/// which checks every signature the way AWS does.
@Suite struct BedrockGenerationTests {
    static let sdxl = "bedrock/stability.stable-diffusion-xl-v1:0"

    @Test func sdxlImageWithSizeAndParams() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run([
            "-m", Self.sdxl, "-s", "1152x896", "--param", "seed=42",
            "--param", "style_preset=photographic", "a lighthouse",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["a-lighthouse.png"])
        let png = PNGFile(contentsOf: t.resolve("a-lighthouse.png"))
        #expect(png?.width == 1152 && png?.height == 896)
        let request = try await t.fake.requests().first
        #expect(request?.path == "/model/stability.stable-diffusion-xl-v1%3A0/invoke")
        #expect(request?.auth == "sigv4")
        #expect(request?.headers["content-type"] == "application/json")
        #expect(request?.headers["accept"] == "application/json")
        #expect(request?.headers["authorization"]?.contains("/us-west-2/bedrock/aws4_request") == true)
        #expect(request?.headers["x-amz-content-sha256"] == nil)
        #expect(
            canonicalJSON(request?.bodyObject)
                == canonicalJSON([
                    "text_prompts": [["text": "a lighthouse"]], "height": 896, "width": 1152,
                    "seed": 42, "style_preset": "photographic",
                ]))
    }

    @Test func sdxlFansOutOneRequestPerImage() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["-m", Self.sdxl, "-n", "3", "--json", "three gulls"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.count == 3)
        let data = result.json?["data"] as? [[String: Any]] ?? []
        #expect(data.count == 3)
        // Bedrock's base64 is written to files: the document names them instead of repeating the bytes.
        #expect(data.allSatisfy { !$0.keys.contains("b64_json") && $0["url"] is NSNull })
        #expect(data.allSatisfy { PNGFile(contentsOf: t.resolve($0["file"] as? String ?? "")) != nil })
        #expect(result.json?["provider"] as? String == "bedrock")
        #expect(result.json?["model"] as? String == "stability.stable-diffusion-xl-v1:0")
    }

    @Test func stableImageWithAspectRatio() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run([
            "-m", "stability.sd3-large-v1:0", "-n", "2", "--param", "aspect_ratio=16:9",
            "--param", "output_format=png", "a fox",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["a-fox-1.png", "a-fox-2.png"])
        for line in result.lines {
            let png = PNGFile(contentsOf: t.resolve(line))
            #expect(png?.width == 1344 && png?.height == 768)
        }
        let requests = try await t.fake.requests()
        #expect(requests.map(\.path) == Array(repeating: "/model/stability.sd3-large-v1%3A0/invoke", count: 2))
        #expect(
            canonicalJSON(requests.first?.bodyObject)
                == canonicalJSON(
                    ["prompt": "a fox", "aspect_ratio": "16:9", "output_format": "png"]))
    }

    @Test func titanManyImagesInOneRequest() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run([
            "-m", "amazon.titan-image-generator-v2:0", "-n", "2", "-s", "512x512",
            "--quality", "premium", "--param", "cfgScale=8", "a harbour",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 2)
        let requests = try await t.fake.requests()
        #expect(requests.count == 1)
        #expect(
            canonicalJSON(requests.first?.bodyObject)
                == canonicalJSON([
                    "taskType": "TEXT_IMAGE", "textToImageParams": ["text": "a harbour"],
                    "imageGenerationConfig": [
                        "numberOfImages": 2, "height": 512, "width": 512,
                        "quality": "premium", "cfgScale": 8,
                    ],
                ]))
        #expect(PNGFile(contentsOf: t.resolve(result.lines[1]))?.width == 512)
    }

    @Test func novaCanvasWithBareModelName() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["-m", "amazon.nova-canvas-v1:0", "--param", "negativeText=fog", "a pier"])
        #expect(result.status == 0, "\(result.stderr)")
        let request = try await t.fake.requests().first
        #expect(request?.path == "/model/amazon.nova-canvas-v1%3A0/invoke")
        #expect(
            canonicalJSON(request?.bodyObject)
                == canonicalJSON(
                    ["taskType": "TEXT_IMAGE", "textToImageParams": ["text": "a pier", "negativeText": "fog"]]))
    }

    @Test func dryRunShowsTheSignedRequestRedacted() async throws {
        let t = try await BedrockE2E()
        var env = t.standardEnvironment
        env["AWS_SESSION_TOKEN"] = FakeBedrockServer.sessionToken
        let result = try await t.run(["--dry-run", "-m", Self.sdxl, "a lighthouse"], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("> POST \(t.fake.endpoint)/model/stability.stable-diffusion-xl-v1%3A0/invoke\n"))
        #expect(result.stdout.contains("> Authorization: AWS4-HMAC-SHA256 [REDACTED]\n"))
        #expect(result.stdout.contains("> X-Amz-Security-Token: [REDACTED]\n"))
        #expect(result.stdout.contains("> X-Amz-Date: "))
        #expect(result.stdout.contains(#"{"text_prompts":[{"text":"a lighthouse"}]}"#))
        #expect(try await t.fake.requests().isEmpty)
    }
}

/// Where credentials, region and endpoint come from.
@Suite struct BedrockConnectionTests {
    @Test func credentialsFromFlags() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(
            [
                "--aws-access-key-id", FakeBedrockServer.accessKeyID,
                "--aws-secret-access-key", FakeBedrockServer.secretAccessKey,
                "--aws-region", "us-west-2", "--api-base", t.fake.endpoint,
                "-m", "amazon.nova-canvas-v1:0", "a pier",
            ],
            env: ["AWS_ACCESS_KEY_ID": "AKIDIGNORED", "AWS_SECRET_ACCESS_KEY": "ignored-secret"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func namedProfileFromSharedFiles() async throws {
        let t = try await BedrockE2E(region: "eu-central-1")
        try t.writeAWSFile(
            "credentials",
            """
            [default]
            aws_access_key_id = AKIDWRONGDEFAULT
            aws_secret_access_key = wrong-default-secret

            [imagegen-test]
            aws_access_key_id = \(FakeBedrockServer.accessKeyID)
            aws_secret_access_key = \(FakeBedrockServer.secretAccessKey)
            """)
        try t.writeAWSFile("config", "[profile imagegen-test]\nregion = eu-central-1\n")
        let endpoint = ["AWS_BEDROCK_RUNTIME_ENDPOINT": t.fake.endpoint]
        let flag = try await t.run(
            ["--aws-profile", "imagegen-test", "-m", "amazon.nova-canvas-v1:0", "a pier"],
            env: endpoint)
        #expect(flag.status == 0, "\(flag.stderr)")
        let variable = try await t.run(
            ["-m", "amazon.nova-canvas-v1:0", "a quay"],
            env: endpoint.merging(["AWS_PROFILE": "imagegen-test"]) { a, _ in a })
        #expect(variable.status == 0, "\(variable.stderr)")
        // The default profile's keys are not the fake's: refused like AWS does, with a hint.
        let fallback = try await t.run(["-m", "amazon.nova-canvas-v1:0", "a dock"], env: endpoint)
        #expect(fallback.status == 4)
        #expect(fallback.stderr.contains("UnrecognizedClientException"))
        #expect(fallback.stderr.contains("profile 'default'"))
    }

    @Test func explicitSharedFilePathsFromEnvironment() async throws {
        let t = try await BedrockE2E(region: "ap-southeast-2")
        let credentials = t.root.appendingPathComponent("creds.ini")
        let config = t.root.appendingPathComponent("config.ini")
        try Data(
            "[ci]\naws_access_key_id=\(FakeBedrockServer.accessKeyID)\naws_secret_access_key=\(FakeBedrockServer.secretAccessKey)\n"
                .utf8
        )
        .write(to: credentials)
        try Data("[profile ci]\nregion=ap-southeast-2\n".utf8).write(to: config)
        let result = try await t.run(
            ["-m", "stability.stable-image-core-v1:1", "a kite"],
            env: [
                "AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_CONFIG_FILE": config.path,
                "AWS_PROFILE": "ci", "AWS_BEDROCK_RUNTIME_ENDPOINT": t.fake.endpoint,
            ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func sessionTokenIsSentAndRequired() async throws {
        let t = try await BedrockE2E(token: FakeBedrockServer.sessionToken)
        var env = t.standardEnvironment
        let missing = try await t.run(["-m", "amazon.nova-canvas-v1:0", "a pier"], env: env)
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("UnrecognizedClientException"))
        env["AWS_SESSION_TOKEN"] = FakeBedrockServer.sessionToken
        let sent = try await t.run(["-m", "amazon.nova-canvas-v1:0", "a pier"], env: env)
        #expect(sent.status == 0, "\(sent.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.last?.headers["x-amz-security-token"] == FakeBedrockServer.sessionToken)
        #expect(requests.last?.headers["authorization"]?.contains("x-amz-security-token") == true)
    }

    @Test func regionSelection() async throws {
        let t = try await BedrockE2E(region: "eu-west-3")
        var env = t.standardEnvironment
        env["AWS_REGION"] = nil
        // AWS_REGION_NAME beats AWS_REGION, which beats AWS_DEFAULT_REGION; --aws-region beats them all.
        let cases: [([String], [String: String], Int32)] = [
            ([], ["AWS_DEFAULT_REGION": "eu-west-3"], 0),
            ([], ["AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "us-east-1"], 0),
            ([], ["AWS_REGION_NAME": "eu-west-3", "AWS_REGION": "us-east-1"], 0),
            (["--aws-region", "eu-west-3"], ["AWS_REGION_NAME": "us-east-1"], 0),
            ([], [:], 4),  // the default, us-east-1, is not the fake's region
        ]
        for (flags, regions, status) in cases {
            let result = try await t.run(
                flags + ["-m", "amazon.nova-canvas-v1:0", "a pier"],
                env: env.merging(regions) { _, new in new })
            #expect(result.status == status, "\(flags) \(regions): \(result.stderr)")
        }
        let wrong = try await t.fake.requests().last
        #expect(wrong?.errorType == "InvalidSignatureException")
        #expect(wrong?.headers["authorization"]?.contains("/us-east-1/bedrock/") == true)
    }

    @Test func endpointFlagBeatsEnvironment() async throws {
        let t = try await BedrockE2E()
        var env = t.standardEnvironment
        env["AWS_BEDROCK_RUNTIME_ENDPOINT"] = "http://127.0.0.1:9"
        let result = try await t.run(
            ["--api-base", t.fake.endpoint + "/", "-m", "amazon.nova-canvas-v1:0", "a pier"],
            env: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.requests().first?.path == "/model/amazon.nova-canvas-v1%3A0/invoke")
    }

    @Test func bedrockAPIKeyAsBearerToken() async throws {
        let t = try await BedrockE2E(bearer: "bedrock-api-key-ABSKexample123")
        let result = try await t.run(
            ["-m", "amazon.nova-canvas-v1:0", "a pier"],
            env: [
                "AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-ABSKexample123",
                "AWS_BEDROCK_RUNTIME_ENDPOINT": t.fake.endpoint,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.requests().first?.auth == "bearer")
    }

    @Test func missingCredentialsListWhereItLooked() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(
            ["-m", "amazon.nova-canvas-v1:0", "a pier"],
            env: ["AWS_BEDROCK_RUNTIME_ENDPOINT": t.fake.endpoint])
        #expect(result.status == 3)
        #expect(result.stderr.contains("AWS_ACCESS_KEY_ID"))
        #expect(result.stderr.contains(t.home.path + "/.aws/credentials"))
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func sdxlSizeIsCheckedBeforeAnything() async throws {
        let t = try await BedrockE2E()
        // No credentials either: the usage error wins, and nothing is sent.
        let result = try await t.run(
            ["-m", "bedrock/stability.stable-diffusion-xl-v1:0", "-s", "512x512", "a pier"],
            env: ["AWS_BEDROCK_RUNTIME_ENDPOINT": t.fake.endpoint])
        #expect(result.status == 2)
        #expect(result.stderr.contains("1024x1024, 1152x896"))
        #expect(try await t.fake.requests().isEmpty)
    }
}

/// Bedrock's error types → SPEC §2 exit codes.
@Suite struct BedrockErrorTests {
    @Test(arguments: [
        ("[[validation]]", Int32(4), "ValidationException", 1),
        ("[[denied]]", 4, "AccessDeniedException", 1),
        ("[[notfound]]", 4, "ResourceNotFoundException", 1),
        ("[[throttle]]", 5, "ThrottlingException", 1),
        ("[[notready]]", 5, "ModelNotReadyException", 1),
        ("[[timeout]]", 5, "ModelTimeoutException", 1),
        ("[[unavailable]]", 5, "ServiceUnavailableException", 1),
        ("[[internal]]", 5, "InternalServerException", 1),
    ])
    func errorTypes(_ magic: String, _ status: Int32, _ type: String, _ attempts: Int) async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["--max-retries", "0", "-m", "amazon.nova-canvas-v1:0", "a pier \(magic)"])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains("(\(type))"))
        #expect(try await t.fake.requests().count == attempts)
        #expect(result.stdout.isEmpty)
    }

    @Test func accessDeniedNamesCredentialsRegionAndModel() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["-m", "amazon.nova-canvas-v1:0", "a pier [[denied]]"])
        #expect(result.stderr.contains("You don't have access to the model with the specified model ID."))
        #expect(
            result.stderr.contains("AWS_ACCESS_KEY_ID") && result.stderr.contains("us-west-2")
                && result.stderr.contains("amazon.nova-canvas-v1:0"))
    }

    @Test func wrongSecretFailsTheSignatureCheck() async throws {
        let t = try await BedrockE2E()
        var env = t.standardEnvironment
        env["AWS_SECRET_ACCESS_KEY"] = "not-the-right-secret-key"
        let result = try await t.run(["-m", "amazon.nova-canvas-v1:0", "a pier"], env: env)
        #expect(result.status == 4)
        #expect(result.stderr.contains("The request signature we calculated does not match"))
        #expect(!result.stderr.contains("not-the-right-secret-key"))
        #expect(try await t.fake.requests().first?.status == 403)
    }

    @Test func throttlingIsRetriedThenGivenUpOn() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["--max-retries", "1", "-m", "amazon.nova-canvas-v1:0", "a pier [[throttle]]"])
        #expect(result.status == 5)
        #expect(try await t.fake.requests().count == 2)
    }

    @Test func aRetryIsSignedAfreshAndSucceeds() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["-m", "stability.stable-diffusion-xl-v1:0", "a pier [[flaky]]"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.map(\.status) == [503, 200])
        #expect(requests.allSatisfy { $0.auth == "sigv4" })
    }

    /// A signature is only good for minutes, so a retry (or a request queued behind a long
    /// batch) must be signed when it is sent, not when it was built.
    @Test func retriesCarryAFreshSignature() async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["-m", "amazon.nova-canvas-v1:0", "a pier [[slowflaky]]"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.map(\.status) == [503, 200])
        let dates = requests.compactMap { $0.headers["x-amz-date"] }
        #expect(dates.count == 2 && dates[0] < dates[1], "\(dates)")
    }

    @Test(arguments: ["stability.stable-diffusion-xl-v1:0", "stability.sd3-large-v1:0", "amazon.nova-canvas-v1:0"])
    func contentFilterIsARejection(_ model: String) async throws {
        let t = try await BedrockE2E()
        let result = try await t.run(["-m", model, "a pier [[filtered]]"])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.lowercased().contains("content filter"))
        #expect(result.stdout.isEmpty)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: t.cwd.path))?.isEmpty == true)
    }
}
