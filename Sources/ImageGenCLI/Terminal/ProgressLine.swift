import Dispatch
import ImageGenCore
import Synchronization

/// The live progress line on a terminal's standard error:
///
///     imagegen: 3/16 images · 1.2/s · ETA 11 s · 4 in flight · 1 retry · 2.4 s
///
/// redrawn in place (`\r`, erase to end of line), at most ten times a second,
/// and erased at `end()`, so what stays on the screen is only the run's real
/// output. A ticking timer keeps the elapsed time moving while a slow request
/// sends no events. A class because it owns that timer and the drawn state.
package final class ProgressLine: ProgressObserver {
    struct State: Sendable {
        var total = 0
        var done = 0
        var failed = 0
        var inFlight = 0
        var retries = 0
        /// Tasks the provider is still working on, waiting for their next poll.
        var waiting = 0
        /// The latest partial image of a streamed generation, until an image is done.
        var partial: (number: Int, total: Int)?
        var startedAt = 0.0
        var lastDrawAt: Double?
        /// What is on the screen now, so a redraw that changes nothing is skipped.
        var shown: String?
        var running = false
    }

    /// Minimum seconds between two draws.
    static let interval = 0.1

    private let state = Mutex(State())
    private let colour: Bool
    private let columns: Int
    private let clock: @Sendable () -> Double
    private let output: @Sendable (String) -> Void
    /// Told whether the line is on the screen (the interrupt handler erases it).
    private let shown: @Sendable (Bool) -> Void
    /// Redraws every interval while the run is going, so the elapsed time
    /// moves while a slow request sends no events; cancelled by `end()`.
    private let ticking: Bool
    private let ticker: Mutex<(any DispatchSourceTimer)?>

    /// Shown only where the caller found a terminal that can redraw a line
    /// (`--quiet`, a pipe, `TERM=dumb` get none); `colour` unless `NO_COLOR`.
    init(
        colour: Bool, columns: Int, ticking: Bool, clock: @escaping @Sendable () -> Double = Clock.monotonic,
        shown: @escaping @Sendable (Bool) -> Void = { _ in }, output: @escaping @Sendable (String) -> Void
    ) {
        self.colour = colour
        self.columns = max(columns, 20)
        self.clock = clock
        self.shown = shown
        self.output = output
        self.ticking = ticking
        ticker = Mutex(nil)
    }

    // MARK: - ProgressObserver

    package func begin(images: Int) {
        update(force: true) {
            $0 = State()
            $0.total = images
            $0.startedAt = clock()
            $0.running = true
        }
        guard ticking else { return }
        // Made running, and only ever cancelled: libdispatch must never
        // release a suspended source.
        ticker.withLock { ticker in
            ticker?.cancel()
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
            timer.schedule(deadline: .now() + Self.interval, repeating: Self.interval)
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                self.state.withLock { state in self.draw(&state, force: false) }
            }
            timer.resume()
            ticker = timer
        }
    }

    package func requestStarted() { update { $0.inFlight += 1 } }
    package func requestFinished() { update { $0.inFlight = max(0, $0.inFlight - 1) } }
    package func retrying() { update { $0.retries += 1 } }
    package func waitStarted() { update { $0.waiting += 1 } }
    package func waitEnded() { update { $0.waiting = max(0, $0.waiting - 1) } }
    package func partialImage(_ number: Int, of total: Int) { update { $0.partial = (number, total) } }

    package func imageFinished(succeeded: Bool) {
        update {
            $0.done += 1
            $0.partial = nil
            if !succeeded { $0.failed += 1 }
        }
    }

    deinit {
        ticker.withLock { $0?.cancel() }
    }

    package func end() {
        ticker.withLock { ticker in
            ticker?.cancel()
            ticker = nil
        }
        state.withLock { state in
            if state.shown != nil {
                output("\r\u{1B}[K")
                shown(false)
            }
            state = State()
        }
    }

    /// Erases the line, lets `write` print whole lines where it was, and
    /// draws it again below them (at the next redraw the throttle allows, so a
    /// fast batch printing many paths does not redraw for each).
    package func printingAside(_ write: () -> Void) {
        state.withLock { state in
            if state.shown != nil {
                output("\r\u{1B}[K")
                state.shown = nil
                shown(false)
            }
            write()
            draw(&state, force: false)
        }
    }

    // MARK: - Drawing

    private func update(force: Bool = false, _ change: (inout State) -> Void) {
        state.withLock { state in
            change(&state)
            draw(&state, force: force)
        }
    }

    private func draw(_ state: inout State, force: Bool) {
        guard state.running else { return }
        let now = clock()
        if !force, let last = state.lastDrawAt, now - last < Self.interval { return }
        let line = render(state, elapsed: now - state.startedAt)
        state.lastDrawAt = now
        guard line != state.shown else { return }
        if state.shown == nil { shown(true) }
        state.shown = line
        output("\r" + line + "\u{1B}[K")
    }

    /// The line, cut to fit the terminal (a wrapped line cannot be erased with `\r`).
    func render(_ state: State, elapsed: Double) -> String {
        var parts: [(text: String, style: String?)] = [
            ("\(state.done)/\(state.total) image\(state.total == 1 ? "" : "s")", "1")
        ]
        // A rate from one image in the first instant says nothing yet.
        if state.done > 0, elapsed >= 0.5 {
            let rate = Double(state.done) / elapsed
            parts.append((Self.format(rate: rate), nil))
            if state.done < state.total {
                parts.append(("ETA " + Self.format(remaining: Double(state.total - state.done) / rate), nil))
            }
        }
        if let partial = state.partial { parts.append(("partial \(partial.number)/\(partial.total)", "36")) }
        parts.append(("\(state.inFlight) in flight", nil))
        if state.waiting > 0 { parts.append(("\(state.waiting) waiting", nil)) }
        if state.retries > 0 { parts.append(("\(state.retries) \(state.retries == 1 ? "retry" : "retries")", "33")) }
        if state.failed > 0 { parts.append(("\(state.failed) failed", "31")) }
        parts.append((Self.format(elapsed: elapsed), nil))

        let prefix = "imagegen: "
        let separator = " · "
        while parts.count > 1,
            prefix.count + parts.map(\.text.count).reduce(0, +) + separator.count * (parts.count - 1) >= columns
        {
            parts.removeLast()
        }
        let body = parts.map { part in
            guard colour, let style = part.style else { return part.text }
            return "\u{1B}[\(style)m\(part.text)\u{1B}[0m"
        }
        return prefix + body.joined(separator: separator)
    }

    /// `12/s`, `2.5/s`, or `40/min` below one a second.
    static func format(rate: Double) -> String {
        if rate >= 10 { return "\(Int(rate.rounded()))/s" }
        if rate >= 1 { return "\(Int((rate * 10).rounded()) / 10).\(Int((rate * 10).rounded()) % 10)/s" }
        return "\(Int((rate * 60).rounded()))/min"
    }

    /// Whole seconds, rounded up: `12 s`, then `3:07`, then `2:03:07`.
    static func format(remaining: Double) -> String {
        let seconds = Int(min(max(0, remaining), 359_999).rounded(.up))
        let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60):\(pad(seconds % 60))" }
        return "\(seconds / 3600):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))"
    }

    /// `2.4 s` under a minute, then `3:07`.
    static func format(elapsed: Double) -> String {
        let tenths = Int((max(0, elapsed) * 10 + 1e-6).rounded(.down))  // 2.8 may arrive as 2.7999…
        if tenths < 600 { return "\(tenths / 10).\(tenths % 10) s" }
        let seconds = tenths / 10
        let rest = seconds % 60
        return "\(seconds / 60):\(rest < 10 ? "0" : "")\(rest)"
    }
}
