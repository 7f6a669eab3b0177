import Foundation
import Testing
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenCLI
import TestSupport

@Suite struct FileInspectionTests {
    let fixtures = Fixtures.directory.path + "/"

    @Test func metadataOfAnotherToolIsListedImagegenKeysFirst() throws {
        let file = try FileInspection.inspect(fixtures + "metadata.png")
        #expect(file.info.format == .png && file.info.width == 4 && file.info.height == 2)
        #expect(file.metadata.map(\.key) == ["prompt", "model", "provider", "revised_prompt", "parameters",
                                             "created", "imagegen", "Software", "Comment"])
        #expect(file.metadata[3].value == "un cerf-volant \u{2708} au-dessus du port")
    }

    @Test func textShowsFactsThenAlignedMetadataWithoutRawEscapes() throws {
        let file = try FileInspection.inspect(fixtures + "metadata.png")
        let text = FileInspection.text(InspectedFile(path: "m.png", info: file.info, metadata: file.metadata))
        #expect(text == """
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
        #expect(FileInspection.text(png).hasSuffix(
            "interlaced.png: PNG, 17x11, rgb 8-bit, interlaced (Adam7), 154 bytes\n  (no metadata)\n"))
        let jpeg = try FileInspection.inspect(fixtures + "photo.jpg")
        #expect(FileInspection.document(jpeg).text
                == #"{"file":"\#(fixtures)photo.jpg","format":"jpeg","width":320,"height":24,"bytes":2171,"metadata":{}}"#)
    }

    @Test func jsonKeepsTheStoredText() throws {
        let file = try FileInspection.inspect(fixtures + "palette.png")
        #expect(FileInspection.document(InspectedFile(path: "p.png", info: file.info, metadata: [("k", "v\n")])).text
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
