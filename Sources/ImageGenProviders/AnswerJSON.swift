import ImageGenCore
import ImageGenHTTP

extension HTTPResponse {
    /// The body of a successful answer as JSON; a body that is not JSON is a
    /// bad answer (exit 7) quoting its first bytes. In an answer that
    /// `carriesImages`, strings of 4 KiB and more (megabytes of base64) stay
    /// slices of the body instead of being copied.
    func json(from provider: ProviderKind, carriesImages: Bool = false) throws(ImageGenError) -> JSON {
        do {
            return try JSON.parse(body, largeStrings: carriesImages ? 4096 : .max)
        } catch {
            throw .badResponse(
                provider: provider, message: "the answer is not JSON (\(error)): " + ProviderErrorText.excerpt(body))
        }
    }
}
