import CryptoShim

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto. SigV4 was their first
/// user, which is why they live next to it; the C side is one-shot calls and
/// one incremental digest (for files written in pieces).
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

    /// The lowercase hex SHA-256 of the pieces one after another, without
    /// joining them: a file's digest, as `sha256sum` prints it.
    package static func sha256Hex(pieces: [ArraySlice<UInt8>]) -> String {
        let context = ig_sha256_begin()
        var status: Int32 = context == nil ? -1 : 0
        for piece in pieces where status == 0 {
            status = piece.withUnsafeBufferPointer { ig_sha256_update(context, $0.baseAddress, $0.count) }
        }
        var digest = [UInt8](repeating: 0, count: Int(IG_SHA256_LENGTH))
        let finished = digest.withUnsafeMutableBufferPointer { ig_sha256_finish(context, $0.baseAddress) }
        // As for the one-shot digest: only an allocation failure inside OpenSSL gets here.
        precondition(status == 0 && finished == 0, "libcrypto failed to compute SHA-256")
        return hex(digest)
    }

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
