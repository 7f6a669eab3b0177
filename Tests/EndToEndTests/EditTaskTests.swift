import Foundation
import TestSupport
import Testing

/// `imagegen edit --task` through the built binary: the Bedrock fake checks
/// each Image Services body against AWS's documented keys and types (and
/// the signature), the OpenAI fake parses a variations form strictly, and
/// the bytes they receive must be the files' own.
@Suite struct EditTaskTests {
    static let photo = Data(TestPNG.make(width: 64, height: 64))
    static let mask = Data(TestPNG.make(width: 64, height: 64, colorType: 6, fill: 0xFF))

    func write(_ files: [String: Data], in cwd: URL) throws {
        let directory = cwd.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: directory.appendingPathComponent(name)) }
    }

    static func decoded(_ body: [String: Any]?, _ key: String) -> Data? {
        (body?[key] as? String).flatMap { Data(base64Encoded: $0) }
    }

    @Test func inpaintOnBedrockSendsTheDocumentedBody() async throws {
        let t = try await BedrockE2E()
        try write(["photo.png": Self.photo, "mask.png": Self.mask], in: t.cwd)
        let result = try await t.run([
            "edit", "-m", "bedrock/stability.stable-image-inpaint-v1:0", "--task", "inpaint",
            "--image", "inputs/photo.png", "--mask", "inputs/mask.png", "--seed", "9",
            "--param", "grow_mask=4", "--param", "style_preset=photographic", "-o", "hat.png", "a red hat",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.status == 200)
        #expect(request.path == "/model/stability.stable-image-inpaint-v1%3A0/invoke")
        #expect(request.auth == "sigv4")
        let body = request.bodyObject
        #expect(Set(body?.keys.map { $0 } ?? []) == ["image", "mask", "prompt", "seed", "grow_mask", "style_preset"])
        #expect(Self.decoded(body, "image") == Self.photo)
        #expect(Self.decoded(body, "mask") == Self.mask)
        #expect(body?["prompt"] as? String == "a red hat")
        let png = try #require(PNGFile(contentsOf: t.resolve("hat.png")))
        #expect(png.serial == request.serials.first)
        #expect(png.text["operation"] == "inpaint")
    }

    @Test func promptlessAndDirectionalTasksPassTheFake() async throws {
        let t = try await BedrockE2E()
        try write(["photo.png": Self.photo, "mask.png": Self.mask], in: t.cwd)
        let erase = try await t.run([
            "edit", "-m", "stability.stable-image-erase-object-v1:0", "--task", "erase", "--image", "inputs/photo.png",
            "--mask", "inputs/mask.png", "-o", "erased.png",
        ])
        #expect(erase.status == 0, "\(erase.stderr)")
        let outpaint = try await t.run([
            "edit", "-m", "stability.stable-outpaint-v1:0", "--task", "outpaint", "--image", "inputs/photo.png",
            "--param", "left=32", "--param", "creativity=0.4", "-o", "wider.png",
        ])
        #expect(outpaint.status == 0, "\(outpaint.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.map(\.status) == [200, 200])
        #expect(Set(requests.first?.bodyObject?.keys.map { $0 } ?? []) == ["image", "mask"])
        #expect(Set(requests.last?.bodyObject?.keys.map { $0 } ?? []) == ["image", "left", "creativity"])
    }

    @Test func controlAndStyleServicesPassTheFake() async throws {
        let t = try await BedrockE2E()
        let style = Data(TestPNG.make(width: 96, height: 64, fill: 0x50))
        try write(["photo.png": Self.photo, "style.png": style], in: t.cwd)
        let sketch = try await t.run([
            "edit", "-m", "stability.stable-image-control-sketch-v1:0", "--task", "control-sketch",
            "--image", "inputs/photo.png", "--param", "control_strength=0.6", "-o", "house.png", "a house",
        ])
        #expect(sketch.status == 0, "\(sketch.stderr)")
        let transfer = try await t.run([
            "edit", "-m", "stability.stable-style-transfer-v1:0", "--task", "style-transfer",
            "--image", "inputs/photo.png", "--image", "inputs/style.png", "-o", "styled.png",
        ])
        #expect(transfer.status == 0, "\(transfer.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.map(\.status) == [200, 200])
        #expect(Self.decoded(requests.last?.bodyObject, "init_image") == Self.photo)
        #expect(Self.decoded(requests.last?.bodyObject, "style_image") == style)
    }

    @Test func aFilteredServiceAnswerIsARejection() async throws {
        let t = try await BedrockE2E()
        try write(["photo.png": Self.photo], in: t.cwd)
        let result = try await t.run([
            "edit", "-m", "stability.stable-image-inpaint-v1:0", "--task", "inpaint", "--image", "inputs/photo.png",
            "a pier [[filtered]]",
        ])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.lowercased().contains("content filter"))
    }

    @Test func anUnknownFieldIsRefusedBeforeSending() async throws {
        let t = try await BedrockE2E()
        try write(["photo.png": Self.photo], in: t.cwd)
        let result = try await t.run([
            "edit", "-m", "stability.stable-image-erase-object-v1:0", "--task", "erase", "--image", "inputs/photo.png",
            "--param", "strength=0.5",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("does not take --param strength; it takes grow_mask"))
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func variationsGoToTheVariationsEndpointAsAStrictForm() async throws {
        let t = try await E2E()
        try write(["square.png": Self.photo], in: t.cwd)
        let result = try await t.run([
            "edit", "-m", "dall-e-2", "--task", "variation", "--image", "inputs/square.png", "-n", "2",
            "--size", "256x256", "--response-format", "b64_json", "-o", "v.png",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let log = try await t.fake.requests()
        try #require(log.count == 1)
        #expect(log[0].path == "/v1/images/variations")
        #expect(log[0].status == 200)
        #expect(
            log[0].form == [
                FormPart(name: "image", filename: "square.png", type: "image/png", data: Self.photo),
                FormPart(name: "model", data: Data("dall-e-2".utf8)),
                FormPart(name: "n", data: Data("2".utf8)),
                FormPart(name: "size", data: Data("256x256".utf8)),
                FormPart(name: "response_format", data: Data("b64_json".utf8)),
            ])
        #expect(t.files() == ["inputs", "v-1.png", "v-2.png"])
        let png = try #require(PNGFile(contentsOf: t.resolve("v-1.png")))
        #expect(png.text["operation"] == "variation")
    }
}
