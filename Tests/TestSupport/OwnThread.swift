import Foundation

/// Blocking work on a thread made for it, never on Swift concurrency's
/// cooperative pool: that pool has one thread per core, and the suite's
/// long synchronous tests can hold every one of them for seconds, starving
/// a task that a waiting test depends on.
package enum OwnThread {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
