import ImageGenCLI
import ImageGenCore
import ImageGenHTTP

/// One in-process run of the whole command line (`CommandLineTool.main`)
/// over a scripted transport: a scratch directory for images (`DIR/` in an
/// argument stands for it), captured streams, what was sent and returned.
package final class InProcessRun {
    /// The OpenAI key in the default environment.
    package static let key = "sk-flow-test-key-123"
    /// An OpenAI-compatible server (not api.openai.com): it still serves the
    /// models OpenAI retired, and nothing is gated by their life cycle.
    package static let compatibleServer = "https://images.example.com/v1"

    package let scratch = ScratchDirectory()
    /// Where the run's history goes when the test gives a HOME but no
    /// XDG_STATE_HOME: never into that HOME, which may be made up
    /// (`/nonexistent`, which root could otherwise create to hold one).
    private let stateHome: ScratchDirectory?
    package let transport: ScriptedTransport
    package let captured: CapturedIO
    package let status: Int32

    package init(
        _ arguments: [String], environment: [String: String] = ["OPENAI_API_KEY": InProcessRun.key],
        stdin: String? = nil, closedStandardOutput: Bool = false,
        script: @escaping ScriptedTransport.Script
    ) {
        var environment = environment
        if environment["XDG_STATE_HOME"] == nil, environment["HOME"] != nil {
            let state = ScratchDirectory()
            environment["XDG_STATE_HOME"] = state.path
            stateHome = state
        } else {
            stateHome = nil
        }
        transport = ScriptedTransport(script)
        captured = CapturedIO(stdin: stdin, closedStandardOutput: closedStandardOutput)
        let directory = scratch.path + "/"
        let arguments = arguments.map { $0.replacing("DIR/", with: directory) }
        let transport = self.transport
        status = CommandLineTool.main(
            arguments: arguments, environment: Environment(environment), io: captured.io,
            makeTransport: { _ in transport })
    }

    deinit {
        scratch.remove()
        stateHome?.remove()
    }

    package var stdout: String { captured.standardOutput }
    package var stderr: String { captured.standardError }
    package var files: [String] { scratch.listing() }
    package var sent: [HTTPRequest] { transport.sent.map(\.request) }
    /// The JSON body of request `index`; throws (not traps) when fewer were sent.
    package func body(_ index: Int) throws -> JSON {
        let sent = self.sent
        guard sent.indices.contains(index) else { throw MissingRequest(index: index, sent: sent.count) }
        return try JSON.parse(sent[index].body)
    }
    package func path(_ name: String) -> String { scratch.sub(name) }
}

/// A test asked for a request that was never sent.
package struct MissingRequest: Error, CustomStringConvertible {
    package let index: Int
    package let sent: Int
    package var description: String { "request \(index) was never sent (\(sent) were)" }
}
