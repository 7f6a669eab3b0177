import Dispatch
import Synchronization
import Testing

@testable import ImageGenCLI

#if canImport(Glibc)
    import Glibc
#endif

/// The fixed set of workers that read, check and write answers.
struct WorkerPoolTests {
    /// Waits for `count` signals, none more than 20 s after the one before.
    private func waitFor(_ count: Int, _ done: DispatchSemaphore) -> Bool {
        (0..<count).allSatisfy { _ in done.wait(timeout: .now() + 20) == .success }
    }

    @Test func noMoreJobsRunAtOnceThanItsWidth() {
        let pool = WorkerPool(width: 3)
        let counts = Mutex<(running: Int, most: Int, ran: Int)>((0, 0, 0))
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<60 {
            pool.async {
                counts.withLock {
                    $0.running += 1
                    $0.most = max($0.most, $0.running)
                }
                usleep(1000)
                counts.withLock {
                    $0.running -= 1
                    $0.ran += 1
                }
                done.signal()
            }
        }
        #expect(waitFor(60, done))
        let final = counts.withLock { $0 }
        #expect(final.ran == 60)
        #expect((1...3).contains(final.most))
    }

    @Test func aPoolOfOneRunsJobsOneAfterAnotherInTheOrderGiven() {
        let pool = WorkerPool(width: 1)
        let order = Mutex<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        for number in 0..<50 {
            pool.async {
                order.withLock { $0.append(number) }
                done.signal()
            }
        }
        #expect(waitFor(50, done))
        #expect(order.withLock { $0 } == Array(0..<50))
    }

    /// A worker blocked on a full pipe or a slow disk must not stop the
    /// next job: here the first job can only finish once the second ran.
    @Test func aBlockedJobDoesNotHoldUpTheNextOne() {
        let pool = WorkerPool(width: 2)
        let secondRan = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        pool.async {
            if secondRan.wait(timeout: .now() + 20) == .success { done.signal() }
        }
        pool.async { secondRan.signal() }
        #expect(waitFor(1, done))
    }

    @Test func workersGoBackWhenNothingWaitsAndComeAgainForNewJobs() {
        let pool = WorkerPool(width: 2)
        let done = DispatchSemaphore(value: 0)
        pool.async { done.signal() }
        #expect(waitFor(1, done))
        usleep(20_000)
        pool.async { done.signal() }
        pool.async { done.signal() }
        #expect(waitFor(2, done))
    }

}
