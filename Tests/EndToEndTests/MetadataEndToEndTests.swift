import Foundation
import TestSupport
import Testing

/// Every written PNG carries how it was made, readable by libpng and by Pillow.
@Suite struct MetadataEndToEndTests {
    @Test func writtenPNGsCarryTheirMetadata() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "-m", "openai/my-model", "-s", "64x48", "--param", "seed=42",
            "--json", "a red kite",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let item = try #require((result.json?["data"] as? [[String: Any]])?.first)
        let file = try #require(item["file"] as? String)
        let data = try #require(t.contents(file))
        #expect(item["bytes"] as? Int == data.count)
        let png = try #require(PNGFile(data))
        #expect(png.text["prompt"] == "a red kite")
        #expect(png.text["model"] == "my-model")
        #expect(png.text["provider"] == "openai")
        #expect(png.text["parameters"] == #"{"size":"64x48","seed":42}"#)
        #expect(png.text["imagegen"]?.first?.isNumber == true)
        let created = try #require(png.text["created"])
        #expect(created.count == 20 && created.hasSuffix("Z") && created.contains("T"), "\(created)")
        #expect(png.serial != nil)  // pixels still decode to the fake's serial
    }

    @Test func otherToolsReadItIncludingUnicodeAndRevisedPrompt() async throws {
        guard let pil = await PythonPIL.find() else { return }
        let t = try await E2E()
        let result = try await t.run(["-m", "dall-e-3", "un loutre mignonne, très ✨"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(result.lines.first)
        let text = try await pil.text(of: t.resolve(file))
        #expect(text["prompt"] == "un loutre mignonne, très ✨")
        #expect(text["revised_prompt"] == "A detailed rendering of un loutre mignonne, très ✨")
        #expect(text["model"] == "dall-e-3")
        #expect(text["parameters"] == "{}")
    }

    @Test func noMetadataWritesTheProvidersBytes() async throws {
        let t = try await E2E()
        let result = try await t.run(["--no-metadata", "-s", "256x256", "a plain kite"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(result.lines.first)
        let data = try #require(t.contents(file))
        let png = try #require(PNGFile(data))
        #expect(png.text.isEmpty)
    }
}
