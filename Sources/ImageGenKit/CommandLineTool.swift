#if canImport(Glibc)
@_exported import Glibc
#endif

public enum CommandLineTool {
    public static func main(arguments: [String]) -> Int32 {
        return 0
    }
}
