import Glibc
import ImageGenCLI

// The executable only wires the process to the library: arguments in, exit status out.
exit(CommandLineTool.processMain(arguments: Array(CommandLine.arguments.dropFirst())))
