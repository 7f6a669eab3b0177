/// What the engine tells whoever shows progress. The engine calls these from
/// one thread; an observer that draws (the live line on a terminal) throttles itself.
package protocol ProgressObserver: AnyObject, Sendable {
    /// The run asks for `images` images in all (every -n and every --batch line).
    func begin(images: Int)
    /// A request went on the wire / came back (success or failure).
    func requestStarted()
    func requestFinished()
    /// A request will be retried after a wait.
    func retrying()
    /// A request waits before it is sent (the next poll of a task the
    /// provider is still working on), and its wait is over.
    func waitStarted()
    func waitEnded()
    /// Partial image `number` of `total` of a streamed generation arrived.
    func partialImage(_ number: Int, of total: Int)
    /// One image was written (or failed for good).
    func imageFinished(succeeded: Bool)
    /// The run is over: clear whatever was drawn.
    func end()
    /// Runs `write`, which prints on standard output or error, with whatever
    /// is drawn out of its way (a path printed on a terminal must not
    /// land on the end of the progress line). `write` must not call back in.
    func printingAside(_ write: () -> Void)
}

extension ProgressObserver {
    package func partialImage(_ number: Int, of total: Int) {}

    package func printingAside(_ write: () -> Void) { write() }
    package func waitStarted() {}
    package func waitEnded() {}
}
