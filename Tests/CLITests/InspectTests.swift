import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct FileInspectionTests {
    let fixtures = Fixtures.directory.path + "/"

    @Test func theJSONImagegenWroteComesBackAsJSON() throws {
        let file = try FileInspection.inspect(fixtures + "metadata.png")
        let metadata = try #require(FileInspection.document(file)["metadata"])
        #expect(metadata["parameters"] == .object([("size", .string("1024x1024")), ("quality", .string("hd"))]))
        #expect(metadata["prompt"] == .string("a kite over a harbour"))
        #expect(
            FileInspection.metadataValue("sources", #"[{"name":"a.png","sha256":"ab"}]"#)
                == .array([.object([("name", .string("a.png")), ("sha256", .string("ab"))])]))
        // Text that is not the JSON imagegen writes stays text.
        #expect(FileInspection.metadataValue("parameters", "{broken") == .string("{broken"))
        #expect(FileInspection.metadataValue("parameters", "[1]") == .string("[1]"))
        #expect(FileInspection.metadataValue("Comment", "{}") == .string("{}"))
        let lean = FieldCatalogue.inspect.apply(FieldSelection(["width", "height"]), to: FileInspection.document(file))
        #expect(lean == .object([("width", .int(4)), ("height", .int(2))]))
    }

    @Test func metadataOfAnotherToolIsListedImagegenKeysFirst() throws {
        let file = try FileInspection.inspect(fixtures + "metadata.png")
        #expect(file.info.format == .png && file.info.width == 4 && file.info.height == 2)
        #expect(
            file.metadata.map(\.key) == [
                "prompt", "model", "provider", "revised_prompt", "parameters",
                "created", "imagegen", "Software", "Comment",
            ])
        #expect(file.metadata[3].value == "un cerf-volant \u{2708} au-dessus du port")
    }

    @Test func textShowsFactsThenAlignedMetadataWithoutRawEscapes() throws {
        let file = try FileInspection.inspect(fixtures + "metadata.png")
        let text = FileInspection.text(InspectedFile(path: "m.png", info: file.info, metadata: file.metadata))
        #expect(
            text == """
                m.png: PNG, 4x2, rgb 8-bit, 467 bytes
                  prompt          a kite over a harbour
                  model           dall-e-3
                  provider        openai
                  revised_prompt  un cerf-volant \u{2708} au-dessus du port
                  parameters      {"size":"1024x1024","quality":"hd"}
                  created         2026-11-25T10:11:12Z
                  imagegen        0.0.0-fixture
                  Software        make_fixtures.py
                  Comment         line one
                                  line two \\u{1B}[31mred

                """)
    }

    @Test func filesWithoutMetadataStillReportFormatAndSize() throws {
        let png = try FileInspection.inspect(fixtures + "interlaced.png")
        #expect(
            FileInspection.text(png).hasSuffix(
                "interlaced.png: PNG, 17x11, rgb 8-bit, interlaced (Adam7), 154 bytes\n  (no metadata)\n"))
        let jpeg = try FileInspection.inspect(fixtures + "photo.jpg")
        #expect(
            FileInspection.document(jpeg).text
                == #"{"file":"\#(fixtures)photo.jpg","format":"jpeg","width":320,"height":24,"bytes":2171,"metadata":{}}"#
        )
    }

    @Test func jsonKeepsTheStoredText() throws {
        let file = try FileInspection.inspect(fixtures + "palette.png")
        #expect(
            FileInspection.document(InspectedFile(path: "p.png", info: file.info, metadata: [("k", "v\n")])).text
                == #"{"file":"p.png","format":"png","width":13,"height":4,"bytes":106,"#
                + #""png":{"color_type":"palette","bit_depth":2,"interlaced":false},"metadata":{"k":"v\n"}}"#)
    }

    @Test func nonImagesAndUnreadableFilesAreExit7NamingTheFile() {
        let cases: [(String, String)] = [
            ("make_fixtures.py", "make_fixtures.py is not an image: unknown format (starts with \"#!/usr/bin/env p\")"),
            ("truncated.png", "truncated.png is not a valid PNG: "),
            ("missing.png", "cannot read \(fixtures)missing.png: No such file or directory"),
            ("preview", "cannot read \(fixtures)preview: it is a directory"),
        ]
        for (name, message) in cases {
            do {
                _ = try FileInspection.inspect(fixtures + name)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(error.exitCode == 7)
                #expect(error.message.contains(message), "\(error.message)")
                #expect(error.kind == "bad_image")
            }
        }
    }

    @Test func devZeroIsNotReadForever() {
        #expect(throws: ImageGenError.self) { try FileInspection.inspect("/dev/zero") }
    }
}

/// The commands that need no provider, run in-process with captured streams.
@Suite struct CommandRunTests {
    let fixtures = Fixtures.directory.path + "/"

    func run(
        _ arguments: [String], terminal: TerminalFacts = TerminalFacts(),
        closedStandardOutput: Bool = false
    ) -> (status: Int32, captured: CapturedIO) {
        let captured = CapturedIO(terminal: terminal, closedStandardOutput: closedStandardOutput)
        let status = CommandLineTool.main(
            arguments: arguments, environment: Environment([:]), io: captured.io,
            makeTransport: { _ throws(ImageGenError) in
                throw .internal("these commands send nothing")
            })
        return (status, captured)
    }

    @Test func inspectReportsEveryFileAndExitsWithTheFirstFailure() throws {
        let (status, captured) = run(["inspect", "--json", fixtures + "missing.png", fixtures + "palette.png"])
        #expect(status == 7)
        let lines = captured.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(
            lines.first == #"{"file":"\#(fixtures)missing.png","error":{"type":"bad_image","#
                + #""message":"cannot read \#(fixtures)missing.png: No such file or directory"}}"#)
        #expect(lines.last?.hasPrefix(#"{"file":"\#(fixtures)palette.png","format":"png","width":13"#) == true)
        #expect(
            captured.standardError
                == "imagegen: cannot read \(fixtures)missing.png: No such file or directory\n")
    }

    @Test func inspectTextSeparatesFilesWithABlankLine() throws {
        let (status, captured) = run(["--inspect", fixtures + "interlaced.png", fixtures + "photo.jpg"])
        #expect(status == 0)
        #expect(captured.standardError.isEmpty)
        let expected =
            try FileInspection.text(FileInspection.inspect(fixtures + "interlaced.png")) + "\n"
            + FileInspection.text(FileInspection.inspect(fixtures + "photo.jpg"))
        #expect(captured.standardOutput == expected)
    }

    @Test func helpVersionAndCompletionsPrintOnStandardOutput() {
        for (arguments, expected) in [
            (["help"], HelpText.render()), (["--help"], HelpText.render()),
            (["version"], ImageGenVersion.line + "\n"),
            (["completions", "fish"], Completions.script(.fish)),
            (["-v", "--completions", "zsh"], Completions.script(.zsh)),
        ] {
            let (status, captured) = run(arguments)
            #expect(status == 0, "\(arguments)")
            #expect(captured.standardOutput == expected, "\(arguments)")
            #expect(captured.standardError.isEmpty, "\(arguments)")
        }
    }

    @Test func usageErrorsExitTwoWithOneLine() {
        let (status, captured) = run(["completions", "tcsh"])
        #expect(status == 2)
        #expect(captured.standardOutput.isEmpty)
        #expect(
            captured.standardError
                == "imagegen: completions takes one of bash, zsh, fish: imagegen completions bash\n")
    }

    @Test func aBareCommandAtATerminalGetsTheShortUsage() {
        let (status, captured) = run([], terminal: TerminalFacts(standardInputIsTerminal: true))
        #expect(status == 2)
        #expect(captured.standardError == HelpText.shortUsage)
    }

    @Test func aClosedStandardOutputIsReported() {
        let (status, captured) = run(["version"], closedStandardOutput: true)
        #expect(status == 7)
        #expect(captured.standardError.hasPrefix("imagegen: cannot write to standard output: "))
    }
}
