package enum ImageGenVersion {
    package static let current = "0.1.0"
    /// What `imagegen --version` prints.
    package static let line = "imagegen \(current)"
    /// The User-Agent every request carries.
    package static let userAgent = "imagegen/\(current)"
}
