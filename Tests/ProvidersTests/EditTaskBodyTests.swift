import Testing

@testable import ImageGenCore
@testable import ImageGenProviders

/// The Image Services body as a unit, and the catalogue's task data.
@Suite struct EditTaskBodyTests {
    static func input(_ bytes: [UInt8], _ name: String) -> InputImage {
        InputImage(filename: name, contentType: "image/png", bytes: bytes, sha256: "")
    }

    @Test func servicesBodyPutsImagesFirstThenPromptOptionsAndFields() {
        var parameters = GenerationParameters(outputFormat: "webp", seed: 11)
        parameters.extra = [Param(key: "grow_mask", value: .int(2))]
        let request = GenerationRequest(
            prompt: "a hat", parameters: parameters,
            edit: EditInputs(
                images: [Self.input([1, 2, 3], "a.png")], mask: Self.input([4, 5], "m.png"), task: "inpaint"))
        #expect(
            BedrockModelFamily.stabilityServices.body(for: request).text
                == #"{"image":"AQID","mask":"BAU=","prompt":"a hat","seed":11,"output_format":"webp","grow_mask":2}"#)
    }

    @Test func anEmptyPromptIsLeftOut() {
        let request = GenerationRequest(prompt: "", edit: EditInputs(images: [Self.input([9], "a.png")], task: "erase"))
        #expect(BedrockModelFamily.stabilityServices.body(for: request).text == #"{"image":"CQ=="}"#)
    }

    @Test func everyServiceRowPerformsOneKnownTaskWithItsSource() {
        let rows = ModelCatalogue.entries.filter { $0.family == .stabilityServices }
        #expect(rows.count == 13)
        for row in rows {
            let tasks = row.accepts.edits?.tasks ?? []
            #expect(tasks.count == 1 && EditTask.named(tasks[0]) != nil, "\(row.id)")
            #expect(row.source.url == ModelCatalogue.stabilityServicesSource)
            #expect(row.accepts.edits?.maskNeedsAlpha == false)
        }
    }

    @Test func fieldRulesNameWhatTheyTake() {
        #expect(FieldRule.integer(0...20).problem(with: .int(21)) == "a whole number from 0 to 20")
        #expect(FieldRule.integer(0...20).problem(with: .int(20)) == nil)
        #expect(FieldRule.number(0.1...0.5).problem(with: .number("0.3")) == nil)
        #expect(FieldRule.number(0.1...0.5).problem(with: .string("x")) != nil)
        #expect(FieldRule.choice(["anime"]).problem(with: .string("anime")) == nil)
        #expect(FieldRule.text(maxLength: 3).problem(with: .string("long")) == "text of at most 3 characters")
    }
}
