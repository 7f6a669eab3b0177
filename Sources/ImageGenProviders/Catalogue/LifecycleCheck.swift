import ImageGenCore

extension ModelKnowledge {
    /// The model's life cycle on `today`, from the provider's own list when
    /// `imagegen models --live` cached one (`known`), else from the table.
    package func lifecycle(on today: CalendarDate, known: Lifecycle? = nil) -> Lifecycle? {
        let table = route.provider == .azure ? entry?.azureLifecycle : entry?.lifecycle
        return (known ?? table)?.on(today)
    }

    /// On the provider's own endpoint a retired model is refused and a
    /// deprecated one warned about; a name the provider does not have but
    /// one close to it does gets "did you mean". Elsewhere nothing is
    /// gated: a compatible server serves whatever it serves. Azure
    /// deployments follow Azure's own schedule, where the table has it.
    /// Returns the warning to print, if any.
    package func checkLifecycle(
        official: Bool, today: CalendarDate, known: Lifecycle? = nil
    ) throws(ImageGenError)
        -> String?
    {
        guard official else { return nil }
        let model = route.model
        let owner = route.provider.displayName
        guard entry != nil || route.provider == .azure else {
            guard let suggestion = ModelCatalogue.suggestion(for: model) else { return nil }
            throw .usage("\(owner) has no image model '\(model)'; did you mean \(suggestion)? (nothing was sent)")
        }
        guard let lifecycle = lifecycle(on: today, known: known) else { return nil }
        switch lifecycle {
        case .active, .scheduled:
            return nil
        case .deprecated(let shutdown, let replacement):
            let when = shutdown.map { "shuts it down on \($0)" } ?? "will shut it down (no date given yet)"
            return "\(model) is deprecated: \(owner) \(when)" + (replacement.map { "; move to \($0)" } ?? "")
        case .retired(let date, let replacement):
            let elsewhere =
                route.provider == .openai
                ? "; a compatible server that still serves it: -m openai/\(model) --api-base URL" : ""
            throw .usage(
                "\(model) was retired by \(owner) on \(date)" + (replacement.map { "; use \($0) instead" } ?? "")
                    + elsewhere + " (nothing was sent)")
        }
    }
}
