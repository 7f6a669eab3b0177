import SignalShim

/// What the SIGINT/SIGTERM/SIGHUP handler (in C, where async-signal-safe
/// work is possible) does: remove every registered `TemporaryFile`, erase a
/// live progress line, say so, and exit with 128 + the signal number.
package enum TerminationCleanup {
    package static func install() {
        ig_install_termination_cleanup()
    }

    /// Tells the handler whether a progress line is drawn on standard error.
    package static func liveLineShown(_ shown: Bool) {
        ig_set_live_line_shown(shown ? 1 : 0)
    }
}
