import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
import Dispatch
import Synchronization

/// Drives prepared generations through the engine: generation calls, then
/// the downloads of URL results, then the output stage on worker threads (so
/// decoding and writing never hold up the transfers), then the emitter,
/// which prints in input order.
package final class Runner {
    private let engine: TransferEngine
    private let emitter: ResultEmitter
    private let redactor: Redactor
    private let attempts: Int
    private let writers = DispatchGroup()

    init(engine: TransferEngine, emitter: ResultEmitter, redactor: Redactor, attempts: Int) {
        self.engine = engine
        self.emitter = emitter
        self.redactor = redactor
        self.attempts = attempts
    }

    /// Runs every line; lines that failed to prepare are reported in their place.
    func run(_ lines: [Result<PreparedGeneration, LineFailure>]) -> Int32 {
        for (position, line) in lines.enumerated() {
            switch line {
            case .success(let prepared):
                start(prepared, position: position)
            case .failure(let failure):
                emitter.deliver(position, LineReport(index: failure.index, expectedImages: 0, result: nil,
                                                     outcomes: [], failures: [failure.error]))
            }
        }
        engine.run()
        writers.wait()
        return emitter.exitCode
    }

    private func start(_ prepared: PreparedGeneration, position: Int) {
        let generator = Generator(provider: prepared.provider, redactor: redactor, attempts: attempts)
        // With fan-out, each answer's images are decoded and validated on a
        // worker while the other requests are still in flight.
        let early = prepared.wireRequests.count > 1 ? EarlyChecks(provider: prepared.provider.kind.rawValue) : nil
        generator.start(prepared.wireRequests, on: engine, onAnswer: early?.check) { result, failures in
            self.download(prepared, result: result, failures: failures, early: early, position: position)
        }
    }

    private func download(_ prepared: PreparedGeneration, result: GenerationResult, failures: [ImageGenError],
                          early: EarlyChecks?, position: Int) {
        let urls = prepared.output.noDownload ? [] : Array(Set(result.images.compactMap {
            $0.hasImageData ? nil : $0.url
        }))
        guard !urls.isEmpty else {
            return write(prepared, result: result, failures: failures, fetched: [:], early: early, position: position)
        }
        var fetched: [String: Result<[UInt8], ImageGenError>] = [:]
        let provider = prepared.provider.kind.rawValue
        for url in urls {
            engine.submit(Downloader.request(for: url), priority: .high) { outcome in
                fetched[url] = Result { () throws(ImageGenError) in
                    try Downloader.imageBytes(outcome, url: url, provider: provider)
                }
                if fetched.count == urls.count {
                    self.write(prepared, result: result, failures: failures, fetched: fetched, early: early,
                               position: position)
                }
            }
        }
    }

    private func write(_ prepared: PreparedGeneration, result: GenerationResult, failures: [ImageGenError],
                       fetched: [String: Result<[UInt8], ImageGenError>], early: EarlyChecks?, position: Int) {
        let emitter = self.emitter
        DispatchQueue.global().async(group: writers) {
            let outcomes = OutputStage.process(result, plan: prepared.plan, options: prepared.output,
                                               metadata: prepared.metadata(for: result),
                                               prechecked: early?.results(slots: prepared.wireRequests.count) ?? []) {
                url throws(ImageGenError) in
                guard let bytes = fetched[url] else { throw .internal("\(url) was not downloaded") }
                return try bytes.get()
            }
            emitter.deliver(position, LineReport(index: prepared.index, expectedImages: prepared.request.imageCount,
                                                 result: result, outcomes: outcomes, failures: failures,
                                                 costMicros: prepared.costMicros(of: result)))
        }
    }
}

/// Fan-out answers checked as they arrive (decoding and libpng validation
/// are most of the output stage's work), so that after the last answer only
/// its own images are left to check before writing.
package final class EarlyChecks: Sendable {
    private let provider: String
    private let group = DispatchGroup()
    private let checked = Mutex<[Int: [OutputStage.Checked?]]>([:])

    init(provider: String) {
        self.provider = provider
    }

    func check(slot: Int, answer: ProviderAnswer) {
        let images = answer.images
        let provider = self.provider
        DispatchQueue.global().async(group: group) {
            // One image per request in a fan-out, so image number = request number.
            let results: [OutputStage.Checked?] = images.map { image in
                guard image.hasImageData else { return nil }  // URLs are downloaded later
                return Result { () throws(ImageGenError) in
                    try OutputStage.check(image, label: "image \(slot + 1)", provider: provider) { _ throws(ImageGenError) in
                        throw .internal("no download during an early check")
                    }
                }
            }
            self.checked.withLock { $0[slot] = results }
        }
    }

    /// Results in the order of the merged result's images: the slots that
    /// answered, in request order. Waits for checks still running.
    func results(slots: Int) -> [OutputStage.Checked?] {
        group.wait()
        return checked.withLock { done in (0..<slots).flatMap { done[$0] ?? [] } }
    }
}

/// A line that could not be prepared (bad batch line, bad option value…).
package struct LineFailure: Error, Sendable {
    let index: Int
    let error: ImageGenError
}

/// Everything known about one generation once it is over.
package struct LineReport: Sendable {
    let index: Int
    let expectedImages: Int
    let result: GenerationResult?
    let outcomes: [ImageOutcome]
    let failures: [ImageGenError]
    /// `cost_usd`, nil when the price is unknown.
    var costMicros: Int? = nil

    /// Request failures first, then image failures, then a short answer.
    var errors: [ImageGenError] {
        var errors = failures + outcomes.compactMap(\.error)
        if failures.isEmpty, let result, result.images.count < expectedImages {
            errors.append(.badResponse(provider: result.provider.rawValue,
                                       message: "asked for \(expectedImages) images, got \(result.images.count)"))
        }
        return errors
    }
}
