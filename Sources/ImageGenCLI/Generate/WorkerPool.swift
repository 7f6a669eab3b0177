import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The workers that read, check and write answers: jobs start in the order
/// they are handed over, and no more than `width` run at once.
///
/// Each running job holds an answer's body and its decoded image. Handed
/// straight to `DispatchQueue.global()`, a job that blocked writing a file
/// let Dispatch start one more thread, and a long batch's peak memory rose
/// by an image with each one; a fixed width keeps the peak where the first
/// lines put it.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private let width: Int
    /// Jobs not started yet, and how many workers are taking them.
    private let state = Mutex<(waiting: [Job], workers: Int)>(([], 0))

    /// One worker per processor, and at least two, so one worker waiting
    /// on a slow disk or a full pipe does not hold up all the others.
    init(width: Int = max(2, WorkerPool.processors)) {
        self.width = max(1, width)
    }

    func async(_ job: @escaping Job) {
        let startsWorker = state.withLock { state in
            state.waiting.append(job)
            guard state.workers < width else { return false }
            state.workers += 1
            return true
        }
        if startsWorker {
            DispatchQueue.global().async { self.work() }
        }
    }

    /// A worker takes jobs until none are waiting, rather than going back
    /// to Dispatch between two of them.
    private func work() {
        while let job = next() {
            job()
        }
    }

    private func next() -> Job? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.workers -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
    }

    /// The processors online (not all those the machine could have).
    static var processors: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// Moves a value to another thread without a second reference: the
/// receiver owns a response body alone, so a large image is decoded in place.
final class Handoff<Value: Sendable>: @unchecked Sendable {
    // Set once by the loop thread, taken once by one worker; the dispatch
    // that passes the handoff orders the two.
    private var value: Value?

    init(_ value: consuming Value) {
        self.value = value
    }

    func take() -> Value {
        value.take()!
    }
}
