import ImageGenCore
import ImageGenHTTP

/// Connection flags. Each is nil when not given, so the environment can fill it.
package struct ConnectionOptions: Equatable, Sendable {
    package var apiKey: String?
    /// `--api-key-file FILE`: the key is the file's first line.
    package var apiKeyFile: String?
    package var apiBase: String?
    package var apiVersion: String?
    package var organization: String?
    /// Seconds per attempt; SPEC default 600.
    package var timeout: Double?
    package var maxRetries: Int?
    package var awsRegion: String?
    package var awsAccessKeyID: String?
    package var awsSecretAccessKey: String?
    package var awsSessionToken: String?
    package var awsProfile: String?
    /// Vertex AI's project, location and credentials (a file or its JSON).
    package var vertexProject: String?
    package var vertexLocation: String?
    package var vertexCredentials: String?
    package var caCert: String?
    /// Bytes an answer may have (`--max-filesize`).
    package var maxFileSize: Int?
    package init() {}
}

extension Redactor {
    /// The secrets given on the command line, masked before anything is printed.
    package mutating func add(_ connection: ConnectionOptions) {
        for secret in [
            connection.apiKey, connection.awsAccessKeyID, connection.awsSecretAccessKey,
            connection.awsSessionToken,
        ] {
            add(secret)
        }
    }
}

extension ConnectionOptions {
    /// The CA bundle to trust instead of the system's: `--cacert`, then the
    /// variables curl and OpenSSL read. Checked here so a typo is a usage
    /// error before anything is sent, not a TLS failure after.
    package func caCertFile(environment: Environment) throws(ImageGenError) -> String? {
        guard
            let file = environment.resolve(
                flag: caCert, flagName: "--cacert", variables: ["CURL_CA_BUNDLE", "SSL_CERT_FILE"])
        else { return nil }
        guard FileSystem.isReadable(file.value) else {
            throw file.invalid("\(file.source) names '\(file.value)', which cannot be read")
        }
        return file.value
    }
}
