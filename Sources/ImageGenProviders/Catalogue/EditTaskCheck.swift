import ImageGenCore

/// The checks `imagegen edit --task` makes before anything is sent: the
/// model performs the task, the prompt, mask, options and `--param` fields
/// are ones the task takes. Nothing is dropped: what does not fit is a
/// usage error (exit 2) that says what does.
extension EditRule {
    package func checkTask(
        _ task: String, request: GenerationRequest, images: Int, hasMask: Bool, model: String,
        today: CalendarDate
    ) throws(ImageGenError) {
        guard tasks.contains(task) else {
            if task == EditTask.defaultName, let own = tasks.first {
                throw .usage("\(model) performs --task \(own), not a plain edit; add --task \(own)")
            }
            throw .usage(
                "\(model) performs --task \(tasks.joined(separator: " or ")), not --task \(task); "
                    + ModelCatalogue.performers(of: task, today: today))
        }
        guard let known = EditTask.named(task) else { return }
        let hasPrompt = !request.prompt.isEmpty
        if known.prompt == .none && hasPrompt {
            throw .usage("--task \(task) takes no prompt; drop the PROMPT words")
        }
        if known.prompt == .required && !hasPrompt {
            throw .usage("--task \(task) needs a prompt: imagegen edit --task \(task) --image FILE PROMPT...")
        }
        if let count = known.imageCount, images != count {
            throw .usage("--task \(task) takes \(count == 1 ? "one --image" : "\(count) --image files"); got \(images)")
        }
        if let imageFields, images != imageFields.count {
            let what = imageFields.count == 1 ? "one --image" : "\(imageFields.count) --image files"
            throw .usage(
                "--task \(task) with \(model) takes \(what) (\(imageFields.joined(separator: ", "))); got \(images)")
        }
        if hasMask && !(takesMask && known.takesMask) {
            throw .usage("\(model) takes no --mask for --task \(task); drop it")
        }
        let allowed = known.options ?? options
        if let allowed {
            for option in request.parameters.givenOptions where !allowed.contains(option) {
                throw .usage(
                    "--task \(task) with \(model) does not take --\(option); it takes "
                        + (allowed.isEmpty
                            ? "none of the generation options"
                            : allowed.map { "--\($0)" }.joined(
                                separator: ", ")))
            }
        }
        try checkFields(request.parameters.extra, task: task, model: model)
    }

    private func checkFields(_ extra: [Param], task: String, model: String) throws(ImageGenError) {
        guard let fields else { return }
        let names = fields.keys.sorted()
        for param in extra {
            guard let rule = fields[param.key] else {
                throw .usage(
                    "--task \(task) with \(model) does not take --param \(param.key); "
                        + (names.isEmpty ? "it takes no --param fields" : "it takes " + names.joined(separator: ", ")))
            }
            if let wanted = rule.problem(with: param.value) {
                throw .usage("--param \(param.key) takes \(wanted); got \(param.value.text)")
            }
        }
        let given = Set(extra.map(\.key))
        for field in requiredFields where !given.contains(field) {
            throw .usage("--task \(task) needs --param \(field)=TEXT")
        }
        if !anyOfFields.isEmpty {
            let nonZero = extra.contains { anyOfFields.contains($0.key) && ($0.value.intValue ?? 0) != 0 }
            guard nonZero else {
                throw .usage(
                    "--task \(task) needs at least one of "
                        + anyOfFields.map { "--param \($0)=PIXELS" }.joined(separator: ", ") + ", not zero")
            }
        }
    }
}

extension ModelCatalogue {
    /// "models that do: …" for a refusal: the catalogue's rows that
    /// perform `task` and are not retired on `today`.
    package static func performers(of task: String, today: CalendarDate) -> String {
        var names: [String] = []
        for row in entries where row.accepts.edits?.tasks.contains(task) == true {
            if case .retired = row.lifecycle.on(today) { continue }
            names.append(row.provider == .bedrock ? "bedrock/\(row.id)" : row.id)
        }
        if EditRule.unchecked.tasks.contains(task) {
            names.append("an OpenAI-compatible server's model (-m openai/MODEL --api-base URL)")
        }
        guard !names.isEmpty else { return "no model imagegen knows performs it" }
        return "models that do: " + names.joined(separator: ", ")
    }
}

extension GenerationParameters {
    /// The generation options given, by their option names.
    package var givenOptions: [String] {
        let given: [(String, Bool)] = [
            ("n", n != nil), ("size", size != nil), ("quality", quality != nil), ("style", style != nil),
            ("response-format", responseFormat != nil), ("user", user != nil), ("background", background != nil),
            ("output-format", outputFormat != nil), ("output-compression", outputCompression != nil),
            ("moderation", moderation != nil), ("seed", seed != nil),
        ]
        return given.filter(\.1).map(\.0)
    }
}
