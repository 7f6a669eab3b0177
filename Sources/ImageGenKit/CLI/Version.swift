public enum ImageGenVersion {
    public static let current = "0.1.0"
    /// What `imagegen --version` prints.
    public static let line = "imagegen \(current)"
}
