import ImageGenCLI
import ImageGenCore
import ImageGenHTTP

/// One in-process run of the whole command line (`CommandLineTool.main`)
/// over a scripted transport: a scratch directory for images (`DIR/` in an
/// argument stands for it), captured streams, what was sent and returned.
package final class InProcessRun {
    /// The OpenAI key in the default environment.
    package static let key = "sk-flow-test-key-123"

    package let scratch = ScratchDirectory()
    package let transport: ScriptedTransport
    package let captured: CapturedIO
    package let status: Int32

    package init(
        _ arguments: [String], environment: [String: String] = ["OPENAI_API_KEY": InProcessRun.key],
        stdin: String? = nil, closedStandardOutput: Bool = false,
        script: @escaping ScriptedTransport.Script
    ) {
        transport = ScriptedTransport(script)
        captured = CapturedIO(stdin: stdin, closedStandardOutput: closedStandardOutput)
        let directory = scratch.path + "/"
        let arguments = arguments.map { $0.replacing("DIR/", with: directory) }
        let transport = self.transport
        status = CommandLineTool.main(
            arguments: arguments, environment: Environment(environment), io: captured.io,
            makeTransport: { _ in transport })
    }

    deinit { scratch.remove() }

    package var stdout: String { captured.standardOutput }
    package var stderr: String { captured.standardError }
    package var files: [String] { scratch.listing() }
    package var sent: [HTTPRequest] { transport.sent.map(\.request) }
    package func body(_ index: Int) throws -> JSON { try JSON.parse(sent[index].body) }
    package func path(_ name: String) -> String { scratch.sub(name) }
}
