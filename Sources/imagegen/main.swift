import ImageGenKit

// The executable only wires the process to the library: arguments, stdio and
// the exit status. Everything else lives in ImageGenKit.
exit(CommandLineTool.main(arguments: Array(CommandLine.arguments.dropFirst())))
