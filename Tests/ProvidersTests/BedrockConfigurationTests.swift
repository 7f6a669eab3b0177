import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// The AWS CLI's credential and region chain, fed with an `Environment` value
/// and in-memory files (one test uses real files under a temporary HOME).
@Suite struct BedrockConfigurationTests {
    static let credentialsFile = """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [dev]
        aws_access_key_id=AKIDDEV
        aws_secret_access_key=dev-secret
        aws_session_token = dev-token
        ; another comment
        [tool]
        role_arn = arn:aws:iam::123456789012:role/x
        """
    static let configFile = """
        [default]
        region = eu-north-1
        [profile dev]
        region = ap-south-1
        s3 =
          max_concurrent_requests = 10
        [profile onlyconfig]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret
        region = sa-east-1
        [sso-session corp]
        region = us-west-1
        """

    func resolve(
        _ variables: [String: String] = [:], options: ConnectionOptions = ConnectionOptions(),
        model: String = "stability.sd3-large-v1:0",
        files: [String: String] = [
            "/home/u/.aws/credentials": credentialsFile,
            "/home/u/.aws/config": configFile,
        ]
    )
        throws(ImageGenError) -> BedrockConfiguration
    {
        var environment = ["HOME": "/home/u"]
        environment.merge(variables) { _, new in new }
        return try BedrockConfiguration.resolve(
            options, model: model, environment: Environment(environment),
            readFile: { files[$0] })
    }

    func keys(_ configuration: BedrockConfiguration) -> AWSCredentials? {
        if case .sigV4(let credentials) = configuration.auth { return credentials }
        return nil
    }

    @Test func flagsBeatEnvironmentAndFiles() throws {
        var options = ConnectionOptions()
        options.awsAccessKeyID = "AKIDFLAG"
        options.awsSecretAccessKey = "flag-secret"
        options.awsSessionToken = "flag-token"
        let configuration = try resolve(
            ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"], options: options)
        #expect(
            keys(configuration)
                == AWSCredentials(
                    accessKeyID: "AKIDFLAG", secretAccessKey: "flag-secret",
                    sessionToken: "flag-token"))
        #expect(configuration.authSource == "--aws-access-key-id")
        #expect(configuration.secrets.sorted() == ["AKIDFLAG", "flag-secret", "flag-token"])
    }

    @Test func partialFlagsAreUsageErrors() {
        var options = ConnectionOptions()
        options.awsAccessKeyID = "AKIDFLAG"
        #expect(throws: ImageGenError.usage("--aws-access-key-id needs --aws-secret-access-key as well")) {
            try resolve(options: options)
        }
        options = ConnectionOptions()
        options.awsSessionToken = "t"
        #expect { try resolve(options: options) } throws: { ($0 as? ImageGenError)?.exitCode == 2 }
    }

    @Test func environmentBeatsFilesWithSessionToken() throws {
        let configuration = try resolve(
            [
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                "AWS_SESSION_TOKEN": "env-token",
            ], model: "m")
        #expect(
            keys(configuration)
                == AWSCredentials(
                    accessKeyID: "AKIDENV", secretAccessKey: "env-secret",
                    sessionToken: "env-token"))
        #expect(configuration.authSource == "AWS_ACCESS_KEY_ID")
    }

    @Test func partialEnvironmentIsAConfigurationError() {
        #expect { try resolve(["AWS_ACCESS_KEY_ID": "AKIDENV"]) } throws: {
            ($0 as? ImageGenError)?.exitCode == 3 && ($0 as! ImageGenError).message.contains("AWS_SECRET_ACCESS_KEY")
        }
    }

    @Test func defaultProfileFromSharedFiles() throws {
        let configuration = try resolve()
        #expect(keys(configuration) == AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "default-secret"))
        #expect(configuration.authSource == "profile 'default' in /home/u/.aws/credentials")
        #expect(configuration.region == "eu-north-1")
        #expect(configuration.regionSource == "profile 'default'")
        #expect(configuration.endpoint == "https://bedrock-runtime.eu-north-1.amazonaws.com")
    }

    @Test func namedProfileFromEnvironmentOrFlag() throws {
        let fromEnvironment = try resolve(["AWS_PROFILE": "dev"])
        #expect(
            keys(fromEnvironment)
                == AWSCredentials(
                    accessKeyID: "AKIDDEV", secretAccessKey: "dev-secret",
                    sessionToken: "dev-token"))
        #expect(fromEnvironment.region == "ap-south-1")

        // `aws --profile` ignores credentials in the environment; AWS_PROFILE does not.
        var options = ConnectionOptions()
        options.awsProfile = "dev"
        let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        #expect(keys(try resolve(environmentKeys, options: options))?.accessKeyID == "AKIDDEV")
        #expect(
            keys(try resolve(environmentKeys.merging(["AWS_PROFILE": "dev"]) { a, _ in a }))?.accessKeyID
                == "AKIDENV")
    }

    @Test func profileOnlyInConfigFile() throws {
        let configuration = try resolve(["AWS_PROFILE": "onlyconfig"])
        #expect(keys(configuration)?.accessKeyID == "AKIDCONFIG")
        #expect(configuration.authSource == "profile 'onlyconfig' in /home/u/.aws/config")
        #expect(configuration.region == "sa-east-1")
    }

    @Test func explicitFilePathsAndTilde() throws {
        let files = [
            "/home/u/creds": "[x]\naws_access_key_id = A1\naws_secret_access_key = S1\n",
            "/etc/aws-config": "[profile x]\nregion = eu-west-3\n",
        ]
        let configuration = try resolve(
            [
                "AWS_SHARED_CREDENTIALS_FILE": "~/creds",
                "AWS_CONFIG_FILE": "/etc/aws-config", "AWS_PROFILE": "x",
            ],
            model: "m", files: files)
        #expect(keys(configuration)?.accessKeyID == "A1")
        #expect(configuration.region == "eu-west-3")
    }

    @Test func missingOrUnusableProfiles() {
        #expect { try resolve(["AWS_PROFILE": "nope"]) } throws: {
            let error = $0 as! ImageGenError
            return error.exitCode == 3 && error.message.contains("'nope'") && error.message.contains("AWS_PROFILE")
        }
        #expect { try resolve(["AWS_PROFILE": "tool"]) } throws: {
            ($0 as! ImageGenError).message.contains("role_arn")
        }
        #expect { try resolve(["AWS_EC2_METADATA_DISABLED": "true"], files: [:]) } throws: {
            let error = $0 as! ImageGenError
            return error.exitCode == 3 && error.message.contains("AWS_ACCESS_KEY_ID")
                && error.message.contains("/home/u/.aws/credentials (not found)")
        }
    }

    @Test func bearerTokens() throws {
        let fromEnvironment = try resolve([
            "AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key",
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s",
        ])
        #expect(fromEnvironment.auth == .bearer("bedrock-api-key"))
        #expect(fromEnvironment.secrets == ["bedrock-api-key"])
        var options = ConnectionOptions()
        options.apiKey = "flag-key"
        #expect(try resolve(options: options).auth == .bearer("flag-key"))
    }

    @Test func regionOrder() throws {
        var options = ConnectionOptions()
        options.awsRegion = "us-west-2"
        let all = ["AWS_REGION_NAME": "eu-west-1", "AWS_REGION": "eu-west-2", "AWS_DEFAULT_REGION": "eu-west-3"]
        #expect(try resolve(all, options: options).region == "us-west-2")
        #expect(try resolve(all).region == "eu-west-1")
        #expect(try resolve(["AWS_REGION": "eu-west-2", "AWS_DEFAULT_REGION": "eu-west-3"]).region == "eu-west-2")
        #expect(try resolve(["AWS_DEFAULT_REGION": "eu-west-3"]).region == "eu-west-3")
        let noFiles = try resolve(["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"], files: [:])
        #expect(noFiles.region == "us-east-1")
        #expect(noFiles.regionSource == "default")
        let arn = "arn:aws:bedrock:ap-northeast-1:123456789012:provisioned-model/abc"
        #expect(try resolve(all, model: arn).region == "ap-northeast-1")
        options.awsRegion = "US East"
        #expect { try resolve(options: options) } throws: { ($0 as? ImageGenError)?.exitCode == 2 }
        #expect { try resolve(["AWS_REGION": "x/y"]) } throws: { ($0 as? ImageGenError)?.exitCode == 3 }
    }

    @Test func endpointOrder() throws {
        var options = ConnectionOptions()
        options.apiBase = "http://127.0.0.1:9000"
        let variables = ["AWS_BEDROCK_RUNTIME_ENDPOINT": "https://vpce.example", "AWS_REGION": "eu-west-1"]
        #expect(try resolve(variables, options: options).endpoint == "http://127.0.0.1:9000")
        #expect(try resolve(variables).endpoint == "https://vpce.example")
        #expect(try resolve(["AWS_REGION": "eu-west-1"]).endpoint == "https://bedrock-runtime.eu-west-1.amazonaws.com")
        #expect { try resolve(["AWS_BEDROCK_RUNTIME_ENDPOINT": "vpce.example"]) } throws: {
            ($0 as? ImageGenError)?.exitCode == 3
        }
    }

    @Test func realFilesUnderTemporaryHome() throws {
        let home = "/tmp/imagegen-aws-home-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try "[team]\r\naws_access_key_id = AKIDTEAM\r\naws_secret_access_key = team-secret\r\n"
            .write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        try "[profile team]\nregion = us-west-2\n".write(
            toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        var options = ConnectionOptions()
        options.awsProfile = "team"
        let configuration = try BedrockConfiguration.resolve(
            options, model: "amazon.nova-canvas-v1:0",
            environment: Environment(["HOME": home]))
        #expect(keys(configuration) == AWSCredentials(accessKeyID: "AKIDTEAM", secretAccessKey: "team-secret"))
        #expect(configuration.region == "us-west-2")
    }
}
