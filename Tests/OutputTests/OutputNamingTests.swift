import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct OutputNamingTests {
    @Test(arguments: [
        ("a cute baby sea otter", "a-cute-baby-sea-otter"),
        ("  A Cute, BABY sea-otter!!  ", "a-cute-baby-sea-otter"),
        ("Café über naïve 東京 42", "caf-ber-na-ve-42"),
        ("---", "image"),
        ("", "image"),
        ("東京", "image"),
        ("photo_of\ta\ncat", "photo-of-a-cat"),
        // 50 characters at most, cut where a word ends.
        (
            "the quick brown fox jumps over the lazy dog and keeps running far away",
            "the-quick-brown-fox-jumps-over-the-lazy-dog-and"
        ),
        // Exactly at a word end: nothing is lost.
        (String(repeating: "abcd ", count: 9) + "efghi more", "abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd-efghi"),
        (String(repeating: "abcd ", count: 10) + "efgh", "abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd"),
        // One long word: hard cut.
        (String(repeating: "x", count: 80), String(repeating: "x", count: 50)),
    ])
    func slug(_ prompt: String, _ expected: String) {
        let slug = OutputNaming.slug(prompt)
        #expect(slug == expected)
        #expect(slug.count <= 50)
    }

    @Test func generatedNames() {
        #expect(OutputNaming.generatedName(slug: "otter", number: nil, fileExtension: "png") == "otter.png")
        #expect(OutputNaming.generatedName(slug: "otter", number: 3, fileExtension: "jpg") == "otter-3.jpg")
    }

    @Test(arguments: [
        // template, index, count, ext, expected
        ("otter.png", 0, 1, "png", "otter.png"),
        ("otter.png", 0, 3, "png", "otter-1.png"),
        ("otter.png", 2, 3, "png", "otter-3.png"),
        ("out/otter-{i}.png", 1, 3, "png", "out/otter-2.png"),
        ("otter-{i}.png", 0, 1, "png", "otter-1.png"),
        ("{i}/{i}.png", 1, 2, "png", "2/2.png"),
        ("otter", 0, 1, "jpg", "otter.jpg"),
        ("otter", 1, 2, "webp", "otter-2.webp"),
        ("otter-{i}", 0, 2, "png", "otter-1.png"),
        ("otter.", 0, 1, "png", "otter.png"),
        ("my.dir/otter", 0, 1, "png", "my.dir/otter.png"),
        (".hidden", 0, 2, "png", ".hidden-1.png"),
        ("/abs/otter.jpeg", 0, 2, "png", "/abs/otter-1.jpeg"),  // the user's extension is kept
    ])
    func explicitNames(_ template: String, _ index: Int, _ count: Int, _ ext: String, _ expected: String) {
        #expect(OutputNaming.explicitName(template, index: index, count: count, fileExtension: ext) == expected)
    }

    @Test func join() {
        #expect(OutputNaming.join("", "a.png") == "a.png")
        #expect(OutputNaming.join("out", "a.png") == "out/a.png")
        #expect(OutputNaming.join("out/", "a.png") == "out/a.png")
        #expect(OutputNaming.join("/", "a.png") == "/a.png")
    }

    @Test func directoryNames() {
        #expect(FileSystem.directoryName("a.png") == ".")
        #expect(FileSystem.directoryName("out/a.png") == "out")
        #expect(FileSystem.directoryName("out//a.png") == "out")
        #expect(FileSystem.directoryName("/a.png") == "/")
        #expect(FileSystem.directoryName("a/b/") == "a")
        #expect(FileSystem.directoryName("/") == "/")
    }

    @Test func targets() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        #expect(OutputTarget(nil) == .directory(""))
        #expect(OutputTarget("-") == .standardOutput)
        #expect(OutputTarget(scratch.path) == .directory(scratch.path))
        #expect(OutputTarget(scratch.sub("new/")) == .directory(scratch.sub("new/")))
        #expect(OutputTarget(scratch.sub("new")) == .file(scratch.sub("new")))
        #expect(OutputTarget("otter-{i}.png") == .file("otter-{i}.png"))
    }
}
