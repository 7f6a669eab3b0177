import ImageGenCore

/// One row of the model catalogue: everything imagegen knows about one
/// model of one provider, with where that knowledge comes from. The rows are
/// data (`ModelCatalogue.openAI`, `ModelCatalogue.bedrock`); every local
/// check, price, lifecycle warning, completion and `imagegen models` line
/// is read from them.
package struct CatalogueEntry: Sendable {
    /// `.openai` rows also describe Azure deployments of the same model.
    package let provider: ProviderKind
    package let id: String
    /// Other names of the same model: dated snapshots, short names.
    package let aliases: [String]
    package let family: ModelFamily
    package let lifecycle: Lifecycle
    /// Azure's own schedule for its deployments of this model, when Azure
    /// offers it; nil when nothing is known (no gating on Azure then).
    package let azureLifecycle: Lifecycle?
    package let accepts: Capabilities
    /// Nil when no published price was found.
    package let price: Price?
    package let source: Source
    /// The model a bare `imagegen PROMPT` uses: one row is marked.
    package let recommended: Bool
    /// What people call the model, for "did you mean" only (`sdxl`).
    package let nicknames: [String]

    package init(
        _ provider: ProviderKind, _ id: String, aliases: [String] = [], family: ModelFamily,
        lifecycle: Lifecycle = .active, azureLifecycle: Lifecycle? = nil, accepts: Capabilities, price: Price?,
        source: Source, recommended: Bool = false, nicknames: [String] = []
    ) {
        self.provider = provider
        self.id = id
        self.aliases = aliases
        self.family = family
        self.lifecycle = lifecycle
        self.azureLifecycle = azureLifecycle
        self.accepts = accepts
        self.price = price
        self.source = source
        self.recommended = recommended
        self.nicknames = nicknames
    }

    /// Every name the row answers to.
    package var names: [String] { [id] + aliases }
}

/// How a model's requests and answers are shaped, and the defaults a name
/// the table does not list gets from its family.
package enum ModelFamily: String, Sendable {
    case dallE = "DALL-E"
    case gptImage = "GPT image"
    case stableDiffusionXL = "Stability SDXL"
    case stableImage = "Stability SD3 / Stable Image"
    case amazonImage = "Amazon Titan / Nova Canvas"
    /// Bedrock's Stability AI Image Services: one edit task per model.
    case stabilityServices = "Stability Image Services"
    /// Black Forest Labs' FLUX (on BFL's own API or an OpenAI-compatible host).
    case flux = "FLUX"
    case recraft = "Recraft"
    /// Image models behind a chat completions API (OpenRouter).
    case chatImage = "chat image"
    /// Google's Gemini image models (`:generateContent`).
    case geminiImage = "Gemini image"
    /// Google's Imagen models (`:predict`).
    case imagen = "Imagen"

    /// The Bedrock request and answer format, for Bedrock families.
    var bedrockFormat: BedrockModelFamily? {
        switch self {
        case .dallE, .gptImage, .flux, .recraft, .chatImage, .geminiImage, .imagen: return nil
        case .stableDiffusionXL: return .stableDiffusionXL
        case .stableImage: return .stableImage
        case .amazonImage: return .amazonImage
        case .stabilityServices: return .stabilityServices
        }
    }
}

/// Where a model is in its provider's life cycle. Bedrock's "Legacy" is
/// `deprecated` (it still answers until its end-of-life date), "EOL" is `retired`.
package enum Lifecycle: Equatable, Sendable {
    case active
    /// Active, with a retirement planned from the start (Azure gives every
    /// GA model one): no warning until the day comes.
    case scheduled(retirement: CalendarDate, replacement: String?)
    /// `shutdown` is nil when the provider has not said when (Bedrock lists
    /// Legacy models without an end-of-life date).
    case deprecated(shutdown: CalendarDate?, replacement: String?)
    case retired(on: CalendarDate, replacement: String?)

    /// The state on `today`: a model past its shutdown or retirement date is retired.
    package func on(_ today: CalendarDate) -> Lifecycle {
        switch self {
        case .deprecated(let date?, let replacement) where date <= today,
            .scheduled(let date, let replacement) where date <= today:
            return .retired(on: date, replacement: replacement)
        case .scheduled:
            return .active
        case .retired(let date, let replacement) where today < date:
            // The table was written after the shutdown; before it, the model was deprecated.
            return .deprecated(shutdown: date, replacement: replacement)
        default:
            return self
        }
    }

    /// `active`, `deprecated` or `retired`, as `imagegen models` prints it.
    package var status: String {
        switch self {
        case .active, .scheduled: return "active"
        case .deprecated: return "deprecated"
        case .retired: return "retired"
        }
    }
}

/// Where a row's facts were read, and when; `note` says which facts are
/// not from the provider's own pages (or were not found at all).
package struct Source: Sendable {
    package let url: String
    package let checked: CalendarDate
    package let note: String?

    package init(_ url: String, checked: CalendarDate, note: String? = nil) {
        self.url = url
        self.checked = checked
        self.note = note
    }
}

/// The values an option takes.
package enum Choice: Sendable, ExpressibleByArrayLiteral {
    /// The option is not accepted.
    case none
    /// Accepted, values not checked (a family's defaults for an unlisted name).
    case any
    case only([String])

    package init(arrayLiteral elements: String...) {
        self = .only(elements)
    }
}

/// What a model accepts. `.none` (or a nil range) means the option is not
/// accepted; `hints` says what to use instead where there is something.
package struct Capabilities: Sendable {
    /// Images per request; nil for one-image models, whose `-n K` is K requests.
    package var counts: ClosedRange<Int>?
    package var sizes: SizeRule = .any
    package var qualities: Choice = .none
    package var styles: Choice = .none
    package var responseFormats: Choice = .none
    package var backgrounds: Choice = .none
    package var outputFormats: Choice = .none
    package var outputCompression: ClosedRange<Int>?
    package var moderation: Choice = .none
    /// Partial images a streamed answer may carry; nil when the model does
    /// not stream (`--stream` is then refused before anything is sent).
    package var partialImages: ClosedRange<Int>?
    package var seeds: ClosedRange<Int>?
    package var promptMaxLength: Int?
    package var acceptsUser = false
    /// What `imagegen edit` may send; nil when the model does not edit.
    package var edits: EditRule?
    /// Option → what to use instead, for options the model does not take.
    package var hints: [String: String] = [:]
    /// How a Google model is called and what shapes it draws; nil for other providers.
    package var google: GoogleImageRule?

    package init(counts: ClosedRange<Int>?) {
        self.counts = counts
    }

    /// One image per request: `-n K` is sent as K requests.
    package var oneImagePerRequest: Bool { counts == nil }
}

/// The input images a model edits, as its provider's edit reference states them.
package struct EditRule: Sendable {
    /// Input images per request.
    package var maxImages: Int
    /// `ImageFormat` names (`png`, `jpeg`, `webp`) the model reads.
    package var formats: [String]
    /// Every input image must be smaller than this.
    package var maxBytes: Int
    /// Whether the input must be as wide as it is high.
    package var square: Bool
    /// The mask must be smaller than this (a PNG with alpha, as large as the first image).
    package var maskMaxBytes: Int
    /// The `--task` names the model performs (`EditTask`).
    package var tasks: [String] = [EditTask.defaultName]
    /// Whether `--mask` is taken at all.
    package var takesMask = true
    /// OpenAI reads the mask's alpha; Stability reads a black-and-white mask.
    package var maskNeedsAlpha = true
    /// Pixel bounds of an input image, where the reference states them.
    package var minSide: Int?
    package var maxSide: Int?
    package var maxPixels: Int?
    /// Longest side over shortest, at most.
    package var maxAspect: Double?
    /// The generation options (`seed`, `output-format`…) the task takes; nil
    /// when the model's own capabilities decide, as for a plain edit.
    package var options: [String]?
    /// `--param` body fields and their values; nil passes any `--param` through.
    package var fields: [String: FieldRule]?
    /// `--param` fields the body cannot go without (search_prompt…).
    package var requiredFields: [String] = []
    /// The body keys the `--image` files go in, in order, for a JSON body
    /// (Stability's `image`, or style transfer's `init_image`, `style_image`);
    /// nil for a multipart form. Exactly this many images are taken then.
    package var imageFields: [String]?
    /// `--param` fields of which at least one must be given, not zero (outpaint's directions).
    package var anyOfFields: [String] = []

    package init(maxImages: Int, formats: [String], maxBytes: Int, square: Bool = false, maskMaxBytes: Int) {
        self.maxImages = maxImages
        self.formats = formats
        self.maxBytes = maxBytes
        self.square = square
        self.maskMaxBytes = maskMaxBytes
    }

    /// For a model nothing is known about (a compatible server's, an Azure
    /// deployment without `--base-model`): any image, its server judges the rest.
    package static let unchecked: EditRule = {
        var rule = EditRule(
            maxImages: .max, formats: ["png", "jpeg", "webp", "gif"], maxBytes: .max, maskMaxBytes: .max)
        rule.tasks = [EditTask.defaultName, "variation"]
        return rule
    }()
}

/// The sizes a model draws.
package enum SizeRule: Sendable {
    /// Any `WxH` (nothing known to check).
    case any
    case list([String])
    /// Sides that are multiples of `multiple` within `edges`, a pixel count
    /// within `pixels`, a long-to-short ratio of at most `maxAspect`;
    /// `keywords` (such as `auto`) are accepted as they are.
    case constrained(
        multiple: Int, edges: ClosedRange<Int>, pixels: ClosedRange<Int>, maxAspect: Double, keywords: [String])
    /// Not a size but something else (Stable Image takes an aspect ratio).
    case notAccepted
}

/// A price, in millionths of a US dollar (integers, so sums compare exactly).
package enum Price: Sendable {
    /// The first row whose conditions the request meets.
    case perImage([ImagePrice])
    case perToken(TokenPrice)
}

/// A per-image price and when it applies; a nil condition matches anything.
package struct ImagePrice: Sendable {
    package var quality: String?
    /// Applies only to square (true) or only to other (false) sizes.
    package var square: Bool?
    /// Applies up to this many pixels.
    package var maxPixels: Int?
    /// Applies from this many diffusion steps (`--param steps=N`) on.
    package var minSteps: Int?
    package var micros: Int

    package init(
        _ micros: Int, quality: String? = nil, square: Bool? = nil, maxPixels: Int? = nil, minSteps: Int? = nil
    ) {
        self.micros = micros
        self.quality = quality
        self.square = square
        self.maxPixels = maxPixels
        self.minSteps = minSteps
    }
}

/// Token pricing, with the output tokens one image takes by quality and
/// shape, so an estimate can be made before sending.
package struct TokenPrice: Sendable {
    /// Micro-USD per million tokens (5 USD per million is 5_000_000).
    package var textInputPerMillion: Int
    package var imageOutputPerMillion: Int
    /// Quality → output tokens for a square, portrait and landscape image
    /// of about a megapixel; larger sizes scale with their pixels. A quality
    /// missing here has no estimate (its price is known only once the
    /// provider reports the tokens it used).
    package var outputTokens: [String: (square: Int, portrait: Int, landscape: Int)]
    /// The quality assumed when none (or `auto`) is given: the dearest.
    package var dearestQuality: String

    package init(
        textInputPerMillion: Int, imageOutputPerMillion: Int,
        outputTokens: [String: (square: Int, portrait: Int, landscape: Int)], dearestQuality: String
    ) {
        self.textInputPerMillion = textInputPerMillion
        self.imageOutputPerMillion = imageOutputPerMillion
        self.outputTokens = outputTokens
        self.dearestQuality = dearestQuality
    }
}
