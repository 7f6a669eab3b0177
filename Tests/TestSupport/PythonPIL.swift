import Foundation

/// Python's PIL, when installed (Debian python3-pil), as an independent PNG reader.
package struct PythonPIL {
    package let python: String

    /// The first python that imports PIL, or nil.
    package static func find() async -> PythonPIL? {
        for python in ["/usr/bin/python3", "/usr/local/bin/python3"] {
            let probe = try? await ChildProcess.run(
                [python, "-c", "import PIL.Image"], stdout: .null, stderr: .null, within: .seconds(30))
            if probe?.termination == .exited(0) { return PythonPIL(python: python) }
        }
        return nil
    }

    package func text(of file: URL) async throws -> [String: String] {
        let outcome = try await ChildProcess.run(
            [
                python, "-c",
                "import json, sys, PIL.Image; im = PIL.Image.open(sys.argv[1]); im.load(); "
                    + "print(json.dumps(im.text))", file.path,
            ], within: .seconds(30))
        return (try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: String]) ?? [:]
    }
}
