import ImageGenCore
import SignalShim

/// A temporary file the termination handler will remove if the process is
/// stopped before `discard` (SignalShim keeps the table, in C, because a
/// signal handler may only do async-signal-safe work).
package struct TemporaryFile {
    let path: String
    private let slot: Int32

    init(path: String) {
        self.path = path
        slot = ig_register_temporary(path)
    }

    /// Removes the file (if it is still there) and forgets it.
    func discard() {
        FileSystem.remove(path)
        forget()
    }

    func forget() {
        ig_forget_temporary(slot)
    }
}
