// swift-tools-version:6.0
import PackageDescription

// The layers, each a target whose dependencies point only down, so the
// compiler refuses an upward import:
//
//   ImageGenCore       vocabulary: JSON, errors, request/result, sizes,
//                      environment, files, process I/O, clock, version
//   ImageGenHTTP       requests and answers, retries, the transport seam
//                      and its libcurl implementation
//   ImageGenProviders  routing, model knowledge, prices, request building
//                      and answer parsing for OpenAI, Azure, Bedrock,
//                      Google AI Studio and Vertex AI
//   ImageGenImaging    format detection, PNG (libpng), base64, pixels
//   ImageGenOutput     output plans, atomic writing, metadata, JSON documents,
//                      the emitter that prints results in order
//   ImageGenCLI        parsing, commands, progress, preview, inspect
//   imagegen           the executable: process in, exit status out
//
// No third-party Swift packages: libcurl, libpng and libcrypto (OpenSSL, for
// SigV4's SHA-256 and HMAC, and RS256 for Google's service-account JWTs) are reached through thin C shims, JSON and base64
// are small enough to own (and to keep start-up fast, the library does not
// link Foundation).
let package = Package(
    name: "imagegen",
    products: [
        .executable(name: "imagegen", targets: ["imagegen"])
    ],
    targets: [
        // Headers only, from the default include path: libcurl is opened at run time
        // (CurlShim/curl_loader.c), so pkg-config's -lcurl must not reach the link.
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev", "zlib1g-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .target(name: "CurlShim", dependencies: ["CCurl"], path: "Sources/CurlShim"),
        // zlib too: the PNG check inflates and checks CRCs itself (png_check.c).
        .target(
            name: "PNGShim", dependencies: ["CPNG"], path: "Sources/PNGShim",
            linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CryptoShim", dependencies: ["CCrypto"], path: "Sources/CryptoShim"),
        .target(name: "SignalShim", path: "Sources/SignalShim"),

        .target(name: "ImageGenCore"),
        .target(name: "ImageGenHTTP", dependencies: ["ImageGenCore", "CurlShim"]),
        .target(name: "ImageGenProviders", dependencies: ["ImageGenCore", "ImageGenHTTP", "CryptoShim"]),
        .target(name: "ImageGenImaging", dependencies: ["ImageGenCore", "PNGShim"]),
        .target(
            name: "ImageGenOutput",
            dependencies: ["ImageGenCore", "ImageGenHTTP", "ImageGenProviders", "ImageGenImaging", "SignalShim"]),
        .target(
            name: "ImageGenCLI",
            dependencies: [
                "ImageGenCore", "ImageGenHTTP", "ImageGenProviders", "ImageGenImaging",
                "ImageGenOutput", "SignalShim",
            ]),
        .executableTarget(name: "imagegen", dependencies: ["ImageGenCLI"]),

        // The GNU spawn and pipe calls behind TestSupport's process launcher.
        .target(name: "SpawnShim", path: "Tests/SpawnShim"),
        // Fakes, scripted transports, captured I/O, temporary directories and
        // process spawning, shared by every test target.
        .target(
            name: "TestSupport",
            dependencies: [
                "ImageGenCore", "ImageGenHTTP", "ImageGenProviders", "ImageGenImaging",
                "ImageGenOutput", "ImageGenCLI", "SpawnShim",
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["ImageGenCore", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["ImageGenHTTP", "TestSupport"]),
        .testTarget(name: "ProvidersTests", dependencies: ["ImageGenProviders", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["ImageGenImaging", "TestSupport"]),
        .testTarget(name: "OutputTests", dependencies: ["ImageGenOutput", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ImageGenCLI", "TestSupport"]),
        // Runs the built binary: what only a real process shows (signals,
        // terminals, exit codes, libcurl on loopback against strict fakes).
        .testTarget(name: "EndToEndTests", dependencies: ["imagegen", "TestSupport"], exclude: ["Fakes"]),
    ],
    swiftLanguageModes: [.v6]
)
