import ImageGenCore

// Bedrock's Stability AI Image Services: each model performs one edit task
// and takes a JSON body of base64 images and the fields below, as AWS's
// "Stability AI Image Services" page gives them (Upscale, Edit and Control).
extension ModelCatalogue {
    static let stabilityServicesSource =
        "https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html"

    static let stylePresets = [
        "3d-model", "analog-film", "anime", "cinematic", "comic-book", "digital-art", "enhance", "fantasy-art",
        "isometric", "line-art", "low-poly", "modeling-compound", "neon-punk", "origami", "photographic",
        "pixel-art", "tile-texture",
    ]

    /// Every service's answer is `images` + `finish_reasons`; one image per call.
    static var stabilityServices: Capabilities {
        var accepts = bedrockBase(counts: nil)
        accepts.sizes = .notAccepted
        accepts.outputFormats = ["png", "jpeg", "webp"]
        accepts.seeds = 0...4_294_967_294
        accepts.promptMaxLength = 10_000
        accepts.hints["size"] = "does not take --size; the output follows the input image"
        accepts.hints["style"] = "does not take --style; use --param style_preset=NAME where the task takes it"
        return accepts
    }

    /// The input rule most services state: jpeg, png or webp, every side at
    /// least 64 pixels, at most 9,437,184 pixels, between 1:2.5 and 2.5:1.
    /// AWS states no byte limit, so none is checked.
    static func stabilityRule(_ task: String, mask: Bool, options: [String], fields: [String: FieldRule]) -> EditRule {
        var rule = EditRule(maxImages: 1, formats: ["png", "jpeg", "webp"], maxBytes: .max, maskMaxBytes: .max)
        rule.tasks = [task]
        rule.takesMask = mask
        rule.maskNeedsAlpha = false
        rule.minSide = 64
        rule.maxPixels = 9_437_184
        rule.maxAspect = 2.5
        rule.options = ["n"] + options
        rule.fields = fields
        rule.imageFields = ["image"]
        return rule
    }

    static let stabilityServiceRows: [CatalogueEntry] = {
        let checked = CalendarDate(2026, 11, 29)
        let text = FieldRule.text(maxLength: 10_000)
        let style = FieldRule.choice(stylePresets)
        let grow = FieldRule.integer(0...20)
        let seeded = ["seed", "output-format"]
        func row(_ id: String, _ rule: EditRule, nicknames: [String]) -> CatalogueEntry {
            var accepts = stabilityServices
            accepts.edits = rule
            return CatalogueEntry(
                .bedrock, id, family: .stabilityServices, accepts: accepts, price: nil,
                source: Source(
                    stabilityServicesSource, checked: checked,
                    note: "AWS's page lists the body fields; no price found in the stored copies"),
                nicknames: nicknames)
        }
        var outpaint = stabilityRule(
            "outpaint", mask: false, options: seeded,
            fields: [
                "style_preset": style, "creativity": .number(0.1...1.0), "left": .integer(0...2000),
                "right": .integer(0...2000), "up": .integer(0...2000), "down": .integer(0...2000),
            ])
        outpaint.anyOfFields = ["left", "right", "up", "down"]
        var recolor = stabilityRule(
            "search-recolor", mask: false, options: seeded,
            fields: ["select_prompt": text, "negative_prompt": text, "style_preset": style, "grow_mask": grow])
        recolor.requiredFields = ["select_prompt"]
        var replace = stabilityRule(
            "search-replace", mask: false, options: seeded,
            fields: ["search_prompt": text, "negative_prompt": text, "style_preset": style, "grow_mask": grow])
        replace.requiredFields = ["search_prompt"]
        var creative = stabilityRule(
            "upscale-creative", mask: false, options: seeded,
            fields: ["creativity": .number(0.1...0.5), "negative_prompt": text, "style_preset": style])
        // "Total pixel count must be between 4,096 and 1,048,576 pixels."
        creative.maxPixels = 1_048_576
        creative.maxAspect = nil
        var fast = stabilityRule("upscale-fast", mask: false, options: ["output-format"], fields: [:])
        // "Width must be between 32 and 1,536 pixels … between 1,024 and 1,048,576 pixels."
        fast.minSide = 32
        fast.maxSide = 1536
        fast.maxPixels = 1_048_576
        fast.maxAspect = nil
        let control: [String: FieldRule] = [
            "control_strength": .number(0...1), "negative_prompt": text, "style_preset": style,
        ]
        let ratios = ["16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"]
        var transfer = stabilityRule(
            "style-transfer", mask: false, options: seeded,
            fields: [
                "negative_prompt": text, "composition_fidelity": .number(0...1), "style_strength": .number(0...1),
                "change_strength": .number(0.1...1),
            ])
        transfer.imageFields = ["init_image", "style_image"]
        transfer.maxImages = 2
        return [
            row(
                "stability.stable-image-control-sketch-v1:0",
                stabilityRule("control-sketch", mask: false, options: seeded, fields: control),
                nicknames: ["control-sketch"]),
            row(
                "stability.stable-image-control-structure-v1:0",
                stabilityRule("control-structure", mask: false, options: seeded, fields: control),
                nicknames: ["control-structure"]),
            row(
                "stability.stable-image-style-guide-v1:0",
                stabilityRule(
                    "style-guide", mask: false, options: seeded,
                    fields: [
                        "aspect_ratio": .choice(ratios), "negative_prompt": text, "fidelity": .number(0...1),
                        "style_preset": style,
                    ]),
                nicknames: ["style-guide"]),
            row("stability.stable-style-transfer-v1:0", transfer, nicknames: ["style-transfer"]),
            row(
                "stability.stable-image-inpaint-v1:0",
                stabilityRule(
                    "inpaint", mask: true, options: seeded,
                    fields: ["negative_prompt": text, "style_preset": style, "grow_mask": grow]),
                nicknames: ["inpaint"]),
            row("stability.stable-outpaint-v1:0", outpaint, nicknames: ["outpaint"]),
            row("stability.stable-image-search-recolor-v1:0", recolor, nicknames: ["search-recolor"]),
            row("stability.stable-image-search-replace-v1:0", replace, nicknames: ["search-replace"]),
            row(
                "stability.stable-image-erase-object-v1:0",
                stabilityRule("erase", mask: true, options: seeded, fields: ["grow_mask": grow]),
                nicknames: ["erase"]),
            row(
                "stability.stable-image-remove-background-v1:0",
                stabilityRule("remove-background", mask: false, options: ["output-format"], fields: [:]),
                nicknames: ["remove-background"]),
            row(
                "stability.stable-conservative-upscale-v1:0",
                stabilityRule(
                    "upscale-conservative", mask: false, options: seeded,
                    fields: ["creativity": .number(0.1...0.5), "negative_prompt": text]),
                nicknames: ["conservative-upscale"]),
            row("stability.stable-creative-upscale-v1:0", creative, nicknames: ["creative-upscale"]),
            row("stability.stable-fast-upscale-v1:0", fast, nicknames: ["fast-upscale"]),
        ]
    }()
}
