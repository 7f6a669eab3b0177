// swift-tools-version:6.0
import PackageDescription

// No third-party Swift packages: libcurl, libpng and libcrypto (OpenSSL, for
// SigV4's SHA-256 and HMAC) are reached through thin C shims, JSON and base64
// are small enough to own (and to keep start-up fast, the library does not
// link Foundation).
let package = Package(
    name: "imagegen",
    products: [
        .executable(name: "imagegen", targets: ["imagegen"]),
    ],
    targets: [
        // Headers only, from the default include path: libcurl is opened at run time
        // (CurlShim/curl_loader.c), so pkg-config's -lcurl must not reach the link.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .target(name: "CurlShim", dependencies: ["CCurl"], path: "Sources/CurlShim"),
        .target(name: "PNGShim", dependencies: ["CPNG"], path: "Sources/PNGShim"),
        .target(name: "CryptoShim", dependencies: ["CCrypto"], path: "Sources/CryptoShim"),
        .target(name: "SignalShim", path: "Sources/SignalShim"),
        .target(name: "ImageGenKit", dependencies: ["CurlShim", "PNGShim", "CryptoShim", "SignalShim"],
                path: "Sources/ImageGenKit"),
        .executableTarget(name: "imagegen", dependencies: ["ImageGenKit"], path: "Sources/imagegen"),
        .testTarget(name: "ImageGenKitTests", dependencies: ["ImageGenKit"],
                    path: "Tests/ImageGenKitTests", exclude: ["Fixtures"]),
        .testTarget(name: "EndToEndTests", dependencies: ["imagegen"], path: "Tests/EndToEndTests",
                    exclude: ["Fakes"]),
    ],
    swiftLanguageModes: [.v6]
)
