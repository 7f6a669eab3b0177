import Foundation

/// Python's PIL, when installed (Debian python3-pil), as an independent PNG reader.
package struct PythonPIL {
    package let python: String

    package static let available: PythonPIL? = {
        for python in ["/usr/bin/python3", "/usr/local/bin/python3"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", "import PIL.Image"]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return PythonPIL(python: python) }
        }
        return nil
    }()

    package func text(of file: URL) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-c",
            "import json, sys, PIL.Image; im = PIL.Image.open(sys.argv[1]); im.load(); "
                + "print(json.dumps(im.text))", file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [String: String]) ?? [:]
    }
}
