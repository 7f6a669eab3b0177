import Foundation
import TestSupport
import Testing

/// `imagegen edit` through real libcurl: the form its MIME API writes must
/// satisfy the fakes' strict multipart parser, and the bytes the fake
/// receives must be the files' own.
@Suite struct EditTests {
    static let photo = Data(TestPNG.make(width: 16, height: 16))
    static let second = Data(TestPNG.make(width: 24, height: 16, fill: 0x90))
    static let mask = Data(TestPNG.make(width: 16, height: 16, colorType: 6, fill: 0))

    func write(_ files: [String: Data], in t: E2E) throws -> URL {
        let directory = t.cwd.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    @Test func openAIReceivesTheFilesByteForByte() async throws {
        let t = try await E2E()
        let inputs = try write(["photo.png": Self.photo, "second.png": Self.second, "mask.png": Self.mask], in: t)
        let result = try await t.run([
            "edit", "-m", "gpt-image-1", "--image", inputs.appendingPathComponent("photo.png").path,
            "--image", "inputs/second.png", "--mask", "inputs/mask.png", "--quality", "low", "-n", "2",
            "-o", "hat.png", "a hat",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let log = try await t.fake.requests()
        try #require(log.count == 1)
        let post = log[0]
        #expect(post.path == "/v1/images/edits")
        #expect(post.status == 200)
        #expect(post.headers["content-type"]?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(post.headers["authorization"] == "Bearer \(t.fake.apiKey)")
        #expect(
            post.form == [
                FormPart(name: "image[]", filename: "photo.png", type: "image/png", data: Self.photo),
                FormPart(name: "image[]", filename: "second.png", type: "image/png", data: Self.second),
                FormPart(name: "mask", filename: "mask.png", type: "image/png", data: Self.mask),
                FormPart(name: "model", data: Data("gpt-image-1".utf8)),
                FormPart(name: "prompt", data: Data("a hat".utf8)),
                FormPart(name: "n", data: Data("2".utf8)),
                FormPart(name: "quality", data: Data("low".utf8)),
            ])
        #expect(t.files() == ["hat-1.png", "hat-2.png", "inputs"])
        let png = try #require(PNGFile(contentsOf: t.resolve("hat-1.png")))
        #expect(png.serial == post.serials.first)
        #expect(png.text["operation"] == "edit")
        #expect(png.text["sources"]?.contains(#""name":"second.png""#) == true)
    }

    @Test func azureReceivesTheSameFormOnItsDeployment() async throws {
        let t = try await E2E.azure()
        let jpeg = Data(Fixtures.bytes("photo.jpg"))
        let inputs = try write(["holiday.jpg": jpeg], in: t)
        let result = try await t.run(
            [
                "edit", "-m", "azure/gpt-image-1", "--image", inputs.appendingPathComponent("holiday.jpg").path,
                "--json", "a kite",
            ], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.requests().first)
        #expect(post.path == "/openai/deployments/gpt-image-1/images/edits")
        #expect(post.query.hasPrefix("api-version="))
        #expect(post.status == 200)
        #expect(
            post.form == [
                FormPart(name: "image", filename: "holiday.jpg", type: "image/jpeg", data: jpeg),
                FormPart(name: "prompt", data: Data("a kite".utf8)),
            ])
        let item = try #require((result.json?["data"] as? [[String: Any]])?.first)
        #expect(PNGFile(contentsOf: t.resolve(item["file"] as? String ?? "")) != nil)
    }
}
