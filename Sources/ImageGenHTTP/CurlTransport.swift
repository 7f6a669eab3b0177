import CurlShim
import ImageGenCore
import Synchronization

/// The transport of the tool: libcurl's multi interface, every transfer on
/// the scheduler's loop thread, with `curl_multi_wakeup` to end a wait when
/// another thread submits work.
package final class CurlTransport: Transport, @unchecked Sendable {
    // The handles below are touched only by the loop thread (start and
    // waitForCompletions); `wake` calls the one libcurl function documented
    // as safe from any thread.
    private let multi: UnsafeMutableRawPointer
    private let settings: TransferSettings
    private var active: [UnsafeMutableRawPointer: (easy: CurlEasy, id: Int)] = [:]
    /// Transfers that failed before libcurl had them, reported at the next wait.
    private var failedToStart: [(id: Int, outcome: TransferOutcome)] = []

    package init(settings: TransferSettings) throws(ImageGenError) {
        try CurlEasy.loadLibrary()
        guard let multi = curl_multi_init() else { throw .internal("libcurl could not start a transfer loop") }
        self.multi = multi
        self.settings = settings
    }

    deinit {
        for handle in active.keys { curl_multi_remove_handle(multi, handle) }
        active.removeAll()
        curl_multi_cleanup(multi)
    }

    package func start(_ request: HTTPRequest, id: Int, streaming: (any StreamedBody)?) {
        // The providers refuse such values with a message naming their
        // source; this is the last line, so no header line is ever injected.
        if let bad = request.headers.first(where: { !$0.isSafe }) {
            failedToStart.append(
                (id, .failure(.internal("refusing to send header \(bad.name) with a control character"))))
            return
        }
        do {
            let easy = try CurlEasy(request, settings: settings, streaming: streaming)
            active[easy.handle] = (easy, id)
            curl_multi_add_handle(multi, easy.handle)
        } catch {
            failedToStart.append((id, .failure(error)))
        }
    }

    package func waitForCompletions(until deadline: Double?) -> [(id: Int, outcome: TransferOutcome)] {
        var done = failedToStart
        failedToStart = []
        var running: Int32 = 0
        _ = curl_multi_perform(multi, &running)
        collect(into: &done)
        guard done.isEmpty else { return done }
        // At most a second at a time, so a lost wake-up costs little.
        let seconds = deadline.map { $0 - now() } ?? 1
        let milliseconds = Int32(max(0, min(1000, seconds * 1000)).rounded(.up))
        if milliseconds > 0 {
            _ = curl_multi_poll(multi, nil, 0, milliseconds, nil)
            _ = curl_multi_perform(multi, &running)
            collect(into: &done)
        }
        return done
    }

    package func wake() {
        _ = curl_multi_wakeup(multi)
    }

    package func now() -> Double { Clock.now() }

    private func collect(into done: inout [(id: Int, outcome: TransferOutcome)]) {
        var handle: UnsafeMutableRawPointer?
        var code = CURLE_OK
        while ig_multi_next_done(multi, &handle, &code) == 1 {
            guard let handle, let (easy, id) = active.removeValue(forKey: handle) else { continue }
            curl_multi_remove_handle(multi, handle)
            done.append((id, Result { () throws(ImageGenError) in try easy.finish(code) }))
        }
    }
}
