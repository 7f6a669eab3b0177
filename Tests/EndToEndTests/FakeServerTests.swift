import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The fake itself must be as strict as the real API, or the end-to-end tests prove little.
@Suite struct FakeServerTests {
    private func post(
        _ fake: FakeOpenAIServer, _ body: String, key: String = "sk-test-key",
        contentType: String = "application/json"
    ) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: fake.baseURL + "/images/generations")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    private func errorMessage(_ json: [String: Any]) -> String? {
        (json["error"] as? [String: Any])?["message"] as? String
    }

    @Test(arguments: [
        (#"{"model":"dall-e-2","prompt":"x","style":"vivid"}"#, "Unknown parameter: 'style'."),
        (#"{"model":"dall-e-2","prompt":"x","n":11}"#, "Expected a value <= 10"),
        (#"{"model":"dall-e-2","prompt":"x","size":"1792x1024"}"#, "'256x256'"),
        (#"{"model":"dall-e-3","prompt":"x","n":2}"#, "You must provide n=1 for this model."),
        (#"{"model":"dall-e-3","prompt":"x","quality":"ultra"}"#, "'hd'"),
        (#"{"model":"dall-e-3","prompt":"x","n":"1"}"#, "Invalid type for 'n'"),
        (#"{"model":"gpt-image-1","prompt":"x","response_format":"url"}"#, "Unknown parameter: 'response_format'."),
        (#"{"model":"dall-e-2"}"#, "Missing required parameter: 'prompt'."),
        (#"["not an object"]"#, "could not parse the JSON body"),
    ])
    func rejectsWhatTheRealAPIRejects(body: String, message: String) async throws {
        let fake = try await FakeOpenAIServer()
        let answer = try await post(fake, body)
        #expect(answer.status == 400)
        #expect(errorMessage(answer.json)?.contains(message) == true, "\(answer.json)")
    }

    @Test func rejectsAWrongKeyWithoutEchoingIt() async throws {
        let fake = try await FakeOpenAIServer()
        let answer = try await post(fake, #"{"model":"dall-e-2","prompt":"x"}"#, key: "sk-wrong-secret-4711")
        #expect(answer.status == 401)
        #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "invalid_api_key")
        #expect(errorMessage(answer.json)?.contains("sk-wrong-secret-4711") == false)
    }

    @Test func rejectsANonJSONContentType() async throws {
        let fake = try await FakeOpenAIServer()
        let answer = try await post(fake, #"{"model":"dall-e-2","prompt":"x"}"#, contentType: "text/plain")
        #expect(answer.status == 400)
    }

    @Test func servesRealPNGsOfTheRequestedSizeByURLAndBase64() async throws {
        let fake = try await FakeOpenAIServer()
        let byURL = try await post(fake, #"{"model":"dall-e-2","prompt":"x","n":2,"size":"256x256"}"#)
        let urls = (byURL.json["data"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
        #expect(urls.count == 2)
        for url in urls {
            let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
            #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "image/png")
            let png = try #require(PNGFile(data))
            #expect(png.width == 256 && png.height == 256)
        }

        let inline = try await post(
            fake, #"{"model":"dall-e-3","prompt":"x","size":"1024x1792","response_format":"b64_json"}"#)
        let item = try #require((inline.json["data"] as? [[String: Any]])?.first)
        #expect(item["revised_prompt"] is String)
        let png = try #require(PNGFile(Data(base64Encoded: item["b64_json"] as? String ?? "") ?? Data()))
        #expect(png.width == 1024 && png.height == 1792)
        #expect(try await fake.generationRequests().flatMap(\.serials).count == 3)
    }

    @Test func aCompatibleModelAcceptsAnyField() async throws {
        let fake = try await FakeOpenAIServer()
        let answer = try await post(fake, #"{"model":"my-sdxl","prompt":"x","seed":42,"steps":30}"#)
        #expect(answer.status == 200)
    }

    @Test func resetClearsTheLog() async throws {
        let fake = try await FakeOpenAIServer()
        _ = try await post(fake, #"{"model":"dall-e-2","prompt":"x"}"#)
        #expect(try await fake.requests().count == 1)
        try await fake.reset()
        #expect(try await fake.requests().isEmpty)
    }
}
