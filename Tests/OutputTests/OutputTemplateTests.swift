import Testing

@testable import ImageGenCore
@testable import ImageGenOutput

/// `-o` fields, filled in before a generation's files are planned.
struct OutputTemplateTests {
    static let fields = OutputFields(
        line: 7, prompt: "A Sea Otter, floating!", model: "bedrock/arn:aws:bedrock:us-east-1::model/x",
        imageCount: 3, seed: 42, date: CalendarDate(2026, 11, 29), promptHash: "0123456789ab")

    @Test func everyFieldIsFilledInAndTheImageNumberIsLeftForLater() throws {
        #expect(
            try OutputTemplate.expand("out/{line}-{slug}-{n}-{seed}-{date}-{hash}-{i}.png", Self.fields)
                == "out/7-a-sea-otter-floating-3-42-2026-11-29-0123456789ab-{i}.png")
        #expect(
            try OutputTemplate.expand("{model}.png", Self.fields) == "bedrock-arn:aws:bedrock:us-east-1::model-x.png")
    }

    @Test func bracesThatAreNotAFieldNameStayAsTheyAre() throws {
        for name in ["plain.png", "a{b.png", "a}b.png", "{}.png", "{A}.png", "{line.png", "{1}.png", "{a b}.png"] {
            #expect(try OutputTemplate.expand(name, Self.fields) == name, "\(name)")
        }
    }

    @Test func anUnknownFieldOrAMissingSeedIsAUsageError() {
        #expect(
            throws: ImageGenError.usage(
                "-o names {slugg}, which is not a field; the fields are {line}, {slug}, {model}, {hash}, {n}, "
                    + "{seed}, {date}, {i}")
        ) { try OutputTemplate.expand("{slugg}.png", Self.fields) }
        var unseeded = Self.fields
        unseeded.seed = nil
        #expect(
            throws: ImageGenError.usage(
                "-o names {seed}, but no seed was given; add --seed N, or take {seed} out of -o")
        ) {
            try OutputTemplate.expand("{seed}.png", unseeded)
        }
    }
}
