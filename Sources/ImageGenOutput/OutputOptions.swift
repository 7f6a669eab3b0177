/// The output flags of SPEC §2 that decide where and how images are written.
package struct OutputOptions: Equatable, Sendable {
    /// `-o PATH`; nil means the current directory with generated names.
    package var output: String?
    package var noDownload = false
    package var force = false
    /// `--skip-existing`: a generation whose files are all there already is not sent.
    package var skipExisting = false
    package var json = false
    /// `--json FIELD,…`: the members the document keeps; nil, all of them.
    package var fields: FieldSelection?
    package var noMetadata = false
    package var quiet = false
    package var verbose = false
    package var dryRun = false
    package init() {}
}
