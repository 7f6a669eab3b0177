import CryptoShim

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto. SigV4 is their only user,
/// which is why they live next to it; the C side is two one-shot calls.
package enum Crypto {
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(IG_SHA256_LENGTH))
        let status = data.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { ig_sha256(input.baseAddress, input.count, $0.baseAddress) }
        }
        // Only an allocation failure inside OpenSSL gets here; there is no way to go on.
        precondition(status == 0, "libcrypto failed to compute SHA-256")
        return digest
    }

    /// The lowercase hex SHA-256 of `data`: how an input image is named in
    /// `--dry-run`, `-v` and a written PNG's `sources`.
    package static func sha256Hex(_ data: [UInt8]) -> String { hex(sha256(data)) }

    static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: Int(IG_SHA256_LENGTH))
        let status = key.withUnsafeBufferPointer { keyBytes in
            data.withUnsafeBufferPointer { input in
                mac.withUnsafeMutableBufferPointer {
                    ig_hmac_sha256(
                        keyBytes.baseAddress, keyBytes.count, input.baseAddress, input.count,
                        $0.baseAddress)
                }
            }
        }
        precondition(status == 0, "libcrypto failed to compute HMAC-SHA256")
        return mac
    }

    /// Lowercase hex SHA-1: the AWS CLI's name for an SSO token cache file.
    static func sha1Hex(_ data: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(IG_SHA1_LENGTH))
        let status = data.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { ig_sha1(input.baseAddress, input.count, $0.baseAddress) }
        }
        precondition(status == 0, "libcrypto failed to compute SHA-1")
        return hex(digest)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
