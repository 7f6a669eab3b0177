import Testing

@testable import ImageGenCore

@Suite struct INIDocumentTests {
    static let sample = """
        # imagegen settings
        [default]
        model = gpt-image-2
        ; the office proxy
        api-base: http://127.0.0.1:8080/v1

        [profile work]
        quality = high
        model = dall-e-3
        model = gpt-image-1

        """

    @Test func anUneditedDocumentComesBackByteForByte() {
        for text in [
            Self.sample, "", "\n", "[default]\nmodel = x", "[default]\r\nmodel = x\r\n# c\r\n",
            "  indented = 1\n\tnested\n[a]\n", "no section line\n\n\n",
        ] {
            #expect(INIDocument(text).text == text, "\(text.debugDescription)")
        }
    }

    @Test func linesAreClassifiedAsAReaderSeesThem() {
        let kinds = INIDocument("[ profile x ]\nk = v # not a comment\n  s3 =\n# c\n;c\nbare\n= v\n[open\n").lines.map(
            \.kind)
        #expect(
            kinds == [
                .header("profile x"), .entry(key: "k", value: "v # not a comment"), .continuation, .blank, .blank,
                .malformed, .malformed, .malformed,
            ])
        #expect(INIDocument("a: b = c\n").lines[0].kind == .entry(key: "a", value: "b = c"))
    }

    @Test func valuesOfASectionTheLastRepeatedKeyWinning() {
        let document = INIDocument(Self.sample)
        #expect(document.sections == ["default", "profile work"])
        #expect(document.values(in: "profile work") == ["quality": "high", "model": "gpt-image-1"])
        #expect(document.values(in: "default")?["api-base"] == "http://127.0.0.1:8080/v1")
        #expect(document.values(in: "profile home") == nil)
        #expect(document.entries(in: "default").map(\.line) == [3, 5])
        #expect(INIDocument("[Default]\nMODEL = x\n").values(in: "Default") == ["model": "x"])
    }

    @Test func settingAnExistingKeyRewritesOnlyItsLine() {
        var document = INIDocument(Self.sample)
        document.set("model", "gpt-image-2.5", in: "default")
        #expect(document.text == Self.sample.replacing("model = gpt-image-2\n", with: "model = gpt-image-2.5\n"))
        // A repeated key: the line readers used is rewritten, the ignored one goes.
        let before = document.text
        document.set("model", "dall-e-2", in: "profile work")
        #expect(
            document.text
                == before.replacing("model = dall-e-3\nmodel = gpt-image-1\n", with: "model = dall-e-2\n"))
        #expect(document.values(in: "profile work") == ["quality": "high", "model": "dall-e-2"])
    }

    @Test func aNewKeyGoesAfterItsSectionsLastSettingAndANewSectionAtTheEnd() {
        var document = INIDocument(Self.sample)
        document.set("concurrency", "8", in: "default")
        #expect(
            document.text
                == Self.sample.replacing(
                    "api-base: http://127.0.0.1:8080/v1\n",
                    with: "api-base: http://127.0.0.1:8080/v1\nconcurrency = 8\n"))
        document.set("model", "gpt-image-2", in: "profile home")
        #expect(document.text.hasSuffix("model = gpt-image-1\n\n[profile home]\nmodel = gpt-image-2\n"))
        var empty = INIDocument("")
        empty.set("model", "x", in: "default")
        #expect(empty.text == "[default]\nmodel = x\n")
        var unterminated = INIDocument("# only a comment")
        unterminated.set("n", "2", in: "default")
        #expect(unterminated.text == "# only a comment\n[default]\nn = 2\n")
    }

    @Test func unsetRemovesEveryLineOfTheKeyAndNothingElse() {
        var document = INIDocument(Self.sample)
        let removed = document.unset("model", in: "profile work")
        #expect(removed)
        #expect(document.text == Self.sample.replacing("model = dall-e-3\nmodel = gpt-image-1\n", with: ""))
        let again = document.unset("model", in: "profile work")
        #expect(!again)
        #expect(document.values(in: "default")?["model"] == "gpt-image-2")
        #expect(document.lines.map(\.number) == Array(1...document.lines.count))
    }
}
