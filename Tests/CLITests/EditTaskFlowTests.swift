import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// `imagegen edit --task`, in-process: the Bedrock Image Services bodies and
/// the variations form the transport is handed, and every refusal made
/// before anything is sent.
@Suite struct EditTaskFlowTests {
    static let photo = TestPNG.make(width: 64, height: 64)
    static let mask = TestPNG.make(width: 64, height: 64, colorType: 6, fill: 0xFF)
    static let tiny = TestPNG.make(width: 8, height: 8)
    static let inpaint = "bedrock/stability.stable-image-inpaint-v1:0"
    static let aws = [
        "AWS_ACCESS_KEY_ID": "AKIDEDITTASK01", "AWS_SECRET_ACCESS_KEY": "edit-task-secret", "AWS_REGION": "us-west-2",
        "IMAGEGEN_TODAY": "2026-11-29",
    ]
    static let answer =
        #"{"seeds":[5],"finish_reasons":[null],"images":[""# + Base64.encode(Fixtures.bytes("rgb.png")) + #""]}"#

    final class Inputs {
        let scratch = ScratchDirectory()
        init(_ files: [String: [UInt8]]) {
            for (name, bytes) in files { scratch.write(name, bytes) }
        }
        deinit { scratch.remove() }
        func path(_ name: String) -> String { scratch.sub(name) }
    }

    static func keys(_ json: JSON) -> [String] {
        if case .object(let members) = json { return members.map(\.0) }
        return []
    }

    static func run(_ arguments: [String], environment: [String: String] = aws) -> InProcessRun {
        InProcessRun(arguments, environment: environment) { _, _ in .status(200, json: answer) }
    }

    @Test func inpaintSendsTheImageMaskAndFieldsAsJSON() throws {
        let inputs = Inputs(["photo.png": Self.photo, "mask.png": Self.mask])
        let run = Self.run([
            "edit", "-m", Self.inpaint, "--task", "inpaint", "--image", inputs.path("photo.png"), "--mask",
            inputs.path("mask.png"), "--seed", "7", "--param", "grow_mask=3", "-o", "DIR/out.png", "a red hat",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let sent = try #require(run.sent.first)
        #expect(sent.url.hasSuffix("/model/stability.stable-image-inpaint-v1%3A0/invoke"))
        #expect(sent.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 ") == true)
        let body = try run.body(0)
        #expect(Self.keys(body) == ["image", "mask", "prompt", "seed", "grow_mask"])
        #expect(body["image"]?.stringValue.flatMap(Base64.decode) == Self.photo)
        #expect(body["mask"]?.stringValue.flatMap(Base64.decode) == Self.mask)
        #expect(body["prompt"]?.stringValue == "a red hat")
        #expect(body["seed"]?.intValue == 7)
        #expect(body["grow_mask"]?.intValue == 3)
        let bytes = try #require(run.scratch.contents("out.png"))
        let written = try #require(PNGFile(Data(bytes)))
        #expect(written.text["operation"] == "inpaint")
    }

    @Test func promptlessTasksSendNoPrompt() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = Self.run([
            "edit", "-m", "bedrock/stability.stable-image-remove-background-v1:0", "--task", "remove-background",
            "--image", inputs.path("photo.png"), "--output-format", "webp", "-o", "DIR/",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.keys(try run.body(0)) == ["image", "output_format"])
    }

    @Test func styleTransferSendsItsTwoImagesUnderTheirOwnKeys() throws {
        let style = TestPNG.make(width: 80, height: 64, fill: 0x30)
        let inputs = Inputs(["photo.png": Self.photo, "style.png": style])
        let run = Self.run([
            "edit", "-m", "bedrock/stability.stable-style-transfer-v1:0", "--task", "style-transfer",
            "--image", inputs.path("photo.png"), "--image", inputs.path("style.png"),
            "--param", "style_strength=0.5", "-o", "DIR/",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let body = try run.body(0)
        #expect(Self.keys(body) == ["init_image", "style_image", "style_strength"])
        #expect(body["style_image"]?.stringValue.flatMap(Base64.decode) == style)
        let one = Self.run([
            "edit", "-m", "bedrock/stability.stable-style-transfer-v1:0", "--task", "style-transfer",
            "--image", inputs.path("photo.png"),
        ])
        #expect(one.status == 2)
        #expect(one.sent.isEmpty)
        #expect(one.stderr.contains("takes 2 --image files (init_image, style_image); got 1"), "\(one.stderr)")
    }

    @Test func dryRunShowsImagesAsTheirSizeNotTheirBase64() throws {
        let large = TestPNG.make(width: 256, height: 256, colorType: 6)
        let inputs = Inputs(["photo.png": large])
        let run = Self.run([
            "edit", "--dry-run", "-m", Self.inpaint, "--task", "inpaint", "--image", inputs.path("photo.png"), "a hat",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.isEmpty)
        #expect(run.stdout.contains(#"{"image":"<base64, \#(large.count) bytes>","prompt":"a hat"}"#), "\(run.stdout)")
        #expect(!run.stdout.contains(Base64.encode(large)))
    }

    @Test func aFilteredAnswerIsARejection() {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun(
            ["edit", "-m", Self.inpaint, "--task", "inpaint", "--image", inputs.path("photo.png"), "-o", "DIR/", "x"],
            environment: Self.aws
        ) { _, _ in .status(200, json: #"{"finish_reasons":["Filter reason: input image"],"images":[]}"#) }
        #expect(run.status == 4)
        #expect(run.stderr.contains("Filter reason: input image"))
    }

    @Test(arguments: [
        // A task the model does not perform names the models that do.
        (
            ["--task", "erase", "x"],
            "performs --task inpaint, not --task erase; models that do: bedrock/stability.stable-image-erase-object-v1:0"
        ),
        // No --task on a one-task model: the plain edit is not what it does.
        (["x"], "performs --task inpaint, not a plain edit; add --task inpaint"),
        (["--task", "inpaint", "--quality", "high", "x"], "does not take --quality"),
        (
            ["--task", "inpaint", "--param", "left=10", "x"],
            "does not take --param left; it takes grow_mask, negative_prompt, style_preset"
        ),
        (["--task", "inpaint", "--param", "grow_mask=50", "x"], "--param grow_mask takes a whole number from 0 to 20"),
        (["--task", "inpaint", "--param", "style_preset=sketchy", "x"], "--param style_preset takes one of 3d-model"),
        (["--task", "inpaint"], "no prompt given"),
    ])
    func refusalsSendNothing(_ extra: [String], _ message: String) {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = Self.run(["edit", "-m", Self.inpaint, "--image", inputs.path("photo.png")] + extra)
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test(arguments: [
        (
            "bedrock/stability.stable-image-search-replace-v1:0", ["--task", "search-replace", "a jacket"],
            "--task search-replace needs --param search_prompt=TEXT"
        ),
        (
            "bedrock/stability.stable-outpaint-v1:0", ["--task", "outpaint", "--param", "left=0"],
            "--task outpaint needs at least one of --param left=PIXELS"
        ),
        (
            "bedrock/stability.stable-image-erase-object-v1:0", ["--task", "erase", "a prompt"],
            "--task erase takes no prompt"
        ),
        (
            "bedrock/stability.stable-fast-upscale-v1:0", ["--task", "upscale-fast", "--seed", "3"],
            "does not take --seed; it takes --n, --output-format"
        ),
        (
            "bedrock/stability.stable-image-remove-background-v1:0",
            ["--task", "remove-background", "--mask", "m.png"],
            "takes no --mask for --task remove-background"
        ),
    ])
    func taskRulesAreCheckedLocally(_ model: String, _ extra: [String], _ message: String) {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = Self.run(["edit", "-m", model, "--image", inputs.path("photo.png")] + extra)
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func inputPixelsAreCheckedAgainstTheService() {
        let inputs = Inputs(["tiny.png": Self.tiny])
        let run = Self.run(["edit", "-m", Self.inpaint, "--task", "inpaint", "--image", inputs.path("tiny.png"), "x"])
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains("images at least 64 pixels on every side"), "\(run.stderr)")
    }

    @Test func retiredAmazonModelsNameTheTaskAndTheReplacement() {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = Self.run([
            "edit", "-m", "bedrock/amazon.nova-canvas-v1:0", "--task", "inpaint", "--image", inputs.path("photo.png"),
            "x",
        ])
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(
            run.stderr.contains(
                "amazon.nova-canvas-v1:0 does not perform --task inpaint (it was retired on 2026-09-30; "
                    + "its replacement is stability.sd3-5-large-v1:0)"), "\(run.stderr)")
    }

    @Test func aServiceModelDoesNotGenerate() {
        let run = Self.run(["-m", Self.inpaint, "a hat"])
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains("edits images only: imagegen edit -m \(Self.inpaint) --task inpaint"))
    }

    @Test func variationIsAFormWithoutPrompt() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun(
            [
                "edit", "-m", "openai/dall-e-2", "--api-base", InProcessRun.compatibleServer, "--task", "variation",
                "--image", inputs.path("photo.png"), "-n", "2", "--size", "256x256", "-o", "DIR/v.png",
            ]
        ) { _, _ in .openAIImages([Fixtures.bytes("rgb.png"), Fixtures.bytes("rgb.png")]) }
        #expect(run.status == 0, "\(run.stderr)")
        let sent = try #require(run.sent.first)
        #expect(sent.url == InProcessRun.compatibleServer + "/images/variations")
        #expect((sent.parts ?? []).map(\.name) == ["image", "model", "n", "size"])
        let bytes = try #require(run.scratch.contents("v-1.png"))
        let written = try #require(PNGFile(Data(bytes)))
        #expect(written.text["operation"] == "variation")
    }

    @Test(arguments: [
        (["--quality", "high"], "--task variation with my-variator does not take --quality"),
        (["a prompt"], "--task variation takes no prompt"),
        (["--mask", "MASK"], "takes no --mask for --task variation"),
        (["--image", "MASK"], "--task variation takes one --image; got 2"),
    ])
    func variationRefusesWhatItDoesNotTake(_ extra: [String], _ message: String) {
        let inputs = Inputs(["photo.png": Self.photo, "mask.png": Self.mask])
        let run = InProcessRun(
            [
                "edit", "-m", "openai/my-variator", "--api-base", InProcessRun.compatibleServer, "--task",
                "variation", "--image", inputs.path("photo.png"),
            ] + extra.map { $0 == "MASK" ? inputs.path("mask.png") : $0 }
        ) { _, _ in .status(500) }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func azureRefusesOtherTasks() {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun(
            [
                "edit", "-m", "azure/my-images", "--api-base", "https://res.openai.azure.com", "--task", "variation",
                "--image", inputs.path("photo.png"),
            ],
            environment: ["AZURE_API_KEY": "azure-key-123"]
        ) { _, _ in .status(500) }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains("perform --task edit only"), "\(run.stderr)")
    }

    @Test func batchLinesNameTheirTaskAndPromptlessOnesNeedNoPrompt() throws {
        let words = try BatchFile.words(fromJSON: #"{"prompt":"a hat","task":"inpaint","image":"a.png"}"#)
        #expect(words == ["--task", "inpaint", "--image", "a.png", "--", "a hat"])
        let inputs = Inputs(["photo.png": Self.photo])
        let photo = inputs.path("photo.png")
        let run = InProcessRun(
            ["edit", "-m", "bedrock/stability.stable-image-erase-object-v1:0", "--batch", "-", "-o", "DIR/"],
            environment: Self.aws,
            stdin: #"{"task":"erase","image":"\#(photo)"}"# + "\n"
                + #"{"task":"inpaint","image":"\#(photo)"}"# + "\n"
        ) { _, _ in .status(200, json: Self.answer) }
        #expect(run.status == 2)
        #expect(run.sent.count == 1)
        #expect(Self.keys(try run.body(0)) == ["image"])
        #expect(run.stderr.contains("the line has no \"prompt\""), "\(run.stderr)")
    }
}
