import Foundation
import Synchronization

/// Blocking work on a thread made for it, never on Swift concurrency's
/// cooperative pool: that pool has one thread per core, and the suite's
/// long synchronous tests can hold every one of them for seconds, starving
/// a task that a waiting test depends on.
package enum OwnThread {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await start(body).value
    }

    /// Starts `body` on its own thread at once, before the caller awaits
    /// anything: `async let` would start it only when a pool thread is free,
    /// and a test's deadline could pass while it waits to begin.
    package static func start<T: Sendable>(_ body: @escaping @Sendable () -> T) -> Started<T> {
        let started = Started<T>()
        Thread { started.finish(body()) }.start()
        return started
    }

    /// The result of work started on its own thread.
    package final class Started<T: Sendable>: Sendable {
        private enum State {
            case running
            case awaited(CheckedContinuation<T, Never>)
            case finished(T)
        }

        private let state = Mutex(State.running)

        fileprivate func finish(_ value: T) {
            let waiter = state.withLock { state -> CheckedContinuation<T, Never>? in
                defer { state = .finished(value) }
                if case .awaited(let continuation) = state { return continuation }
                return nil
            }
            waiter?.resume(returning: value)
        }

        package var value: T {
            get async {
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> T? in
                        if case .finished(let value) = state { return value }
                        state = .awaited(continuation)
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            }
        }
    }
}
