import ImageGenCore
import ImageGenOutput
import ImageGenProviders
import Synchronization

/// One generation whose answers are coming in.
final class LineInProgress: Sendable {
    let prepared: PreparedGeneration
    let position: Int
    let window: BatchWindow
    /// When its first request was handed to the scheduler (monotonic seconds).
    let started = Clock.monotonic()
    private let answers: Mutex<[Int: (answer: Result<CheckedAnswer, ImageGenError>, attempts: Int)]>
    private let identifiers = Mutex<[Int: String]>([:])

    init(_ prepared: PreparedGeneration, position: Int, window: BatchWindow) {
        self.prepared = prepared
        self.position = position
        self.window = window
        answers = Mutex([:])
    }

    /// When each slot's task must be done: set by its first pending answer.
    private let deadlines = Mutex<[Int: Double]>([:])
    /// The usage a task's submission reported, for its final answer.
    private let usages = Mutex<[Int: JSON]>([:])

    func carry(_ usage: JSON, slot: Int) { usages.withLock { $0[slot] = usage } }
    func carried(slot: Int) -> JSON? { usages.withLock { $0[slot] } }

    func pollDeadline(slot: Int, proposed: Double) -> Double {
        deadlines.withLock { deadlines in
            if let set = deadlines[slot] { return set }
            deadlines[slot] = proposed
            return proposed
        }
    }

    /// The provider's id of request `slot`'s answer, for the history.
    func noteRequestID(_ id: String, slot: Int) {
        identifiers.withLock { $0[slot] = id }
    }

    /// The request ids noted, in request order.
    var requestIDs: [String] {
        identifiers.withLock { ids in ids.keys.sorted().compactMap { ids[$0] } }
    }

    /// Records one request's answer; returns all of them, in request order,
    /// to the caller that recorded the last.
    func record(
        _ answer: Result<CheckedAnswer, ImageGenError>, slot: Int, attempts: Int
    )
        -> [(answer: Result<CheckedAnswer, ImageGenError>, attempts: Int)]?
    {
        answers.withLock { answers in
            answers[slot] = (answer, attempts)
            guard answers.count == prepared.wireRequests.count else { return nil }
            defer { answers = [:] }  // the caller owns them now
            return (0..<answers.count).map { answers[$0]! }
        }
    }
}

/// A line's URL downloads coming in.
final class Downloads: Sendable {
    private let state: Mutex<(images: [PreparedImage?], remaining: Int)>

    init(images: [PreparedImage?], remaining: Int) {
        state = Mutex((images, remaining))
    }

    /// Records one URL's image at every index it stands for; returns all
    /// images to the caller that recorded the last download.
    func record(_ image: PreparedImage, at indices: [Int]) -> [PreparedImage]? {
        state.withLock { state in
            for index in indices { state.images[index] = image }
            state.remaining -= 1
            guard state.remaining == 0 else { return nil }
            return state.images.map { $0 ?? .failed(.internal("image has no data")) }
        }
    }
}

/// One answer with each image checked (nil: a URL still to download).
struct CheckedAnswer: Sendable {
    var answer: ProviderAnswer
    var images: [PreparedImage?]

    /// The answers of a line's requests merged in request order: one failed
    /// fan-out request keeps the others' images.
    static func merge(
        _ answers: [(answer: Result<CheckedAnswer, ImageGenError>, attempts: Int)], route: Route
    ) -> MergedAnswer {
        var result = GenerationResult(created: 0, model: route.model, provider: route.provider, images: [])
        var images: [PreparedImage?] = []
        var failures: [ImageGenError] = []
        var firstFailureAttempts: Int?
        for (answer, attempts) in answers {
            switch answer {
            case .success(let checked):
                result.images += checked.answer.images
                images += checked.images
                if result.created == 0, let created = checked.answer.created { result.created = created }
                result.usage = Usage.add(result.usage, checked.answer.usage)
            case .failure(let error):
                if failures.isEmpty { firstFailureAttempts = attempts }
                failures.append(error)
            }
        }
        if result.created == 0 { result.created = Int(Clock.now()) }
        return MergedAnswer(result: result, images: images, failures: failures, attempts: firstFailureAttempts)
    }
}

struct MergedAnswer: Sendable {
    var result: GenerationResult
    var images: [PreparedImage?]
    var failures: [ImageGenError]
    /// How many attempts the first failed request took.
    var attempts: Int?
}
