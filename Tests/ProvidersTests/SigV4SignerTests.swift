import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// The signer against botocore's SigV4Auth: Fixtures/sigv4/vectors.json was
/// written by Fixtures/sigv4/make_vectors.py.
@Suite struct SigV4SignerTests {
    struct Vector: CustomTestStringConvertible {
        let json: JSON
        var name: String { json["name"]!.stringValue! }
        var testDescription: String { name }

        func string(_ key: String) -> String { json[key]!.stringValue! }

        var request: HTTPRequest {
            let headers = json["headers"]!.arrayValue!.map {
                HTTPHeader($0.arrayValue![0].stringValue!, $0.arrayValue![1].stringValue!)
            }
            return HTTPRequest(
                method: string("method"), url: string("url"), headers: headers,
                body: Array(string("body").utf8))
        }

        var signer: SigV4Signer {
            SigV4Signer(
                credentials: AWSCredentials(
                    accessKeyID: string("access_key_id"),
                    secretAccessKey: string("secret_access_key"),
                    sessionToken: json["session_token"]?.stringValue),
                region: string("region"), service: string("service"))
        }
    }

    static let vectors: [Vector] = {
        let path = Fixtures.directory.appendingPathComponent("sigv4/vectors.json").path
        guard let data = FileManager.default.contents(atPath: path),
            let document = try? JSON.parse([UInt8](data))
        else {
            fatalError("missing or bad \(path); run Fixtures/sigv4/make_vectors.py")
        }
        return document["vectors"]!.arrayValue!.map(Vector.init)
    }()

    @Test func fixtureCoversTheRequiredCases() {
        let names = Self.vectors.map(\.name)
        #expect(names.count >= 8)
        #expect(Self.vectors.contains { $0.string("method") == "GET" })
        #expect(Self.vectors.contains { $0.json["session_token"]?.stringValue != nil })
        #expect(Self.vectors.contains { $0.string("body").isEmpty && $0.string("method") == "POST" })
        #expect(Self.vectors.contains { $0.string("url").contains("%3A") })
        #expect(Self.vectors.contains { $0.string("url").contains(":0/") })
        #expect(Self.vectors.contains { $0.string("url").contains(":8123/") })
    }

    @Test(arguments: vectors)
    func matchesBotocoreByteForByte(_ vector: Vector) {
        let signed = vector.signer.sign(vector.request, time: vector.json["time"]!.intValue!)
        #expect(signed.header("X-Amz-Date") == vector.string("x_amz_date"))
        #expect(signed.header("X-Amz-Security-Token") == vector.json["x_amz_security_token"]?.stringValue)
        #expect(signed.header("Authorization") == vector.string("authorization"))
        #expect(signed.header("x-amz-content-sha256") == nil)

        let signature = vector.signer.signature(of: signed)
        #expect(signature.canonicalRequest == vector.string("canonical_request"))
        #expect(signature.stringToSign == vector.string("string_to_sign"))
        #expect(signature.signature == vector.string("signature"))
    }

    @Test func resigningReplacesEarlierHeaders() {
        let vector = Self.vectors.first { $0.json["session_token"]?.stringValue != nil }!
        let once = vector.signer.sign(vector.request, time: 1_767_323_045)
        let twice = vector.signer.sign(once, time: 1_767_323_045)
        #expect(once == twice)
        let later = vector.signer.sign(once, time: 1_767_323_105)
        #expect(later.headers.count == once.headers.count)
        #expect(later.header("X-Amz-Date") == "20260102T030505Z")
        #expect(later.header("Authorization") != once.header("Authorization"))
    }

    @Test func hostKeepsOnlyNonDefaultPorts() {
        #expect(
            SigV4Signer.host(of: "https://Bedrock-Runtime.us-east-1.amazonaws.com/model/x")
                == "bedrock-runtime.us-east-1.amazonaws.com")
        #expect(SigV4Signer.host(of: "https://h.example:443/x") == "h.example")
        #expect(SigV4Signer.host(of: "http://h.example:80") == "h.example")
        #expect(SigV4Signer.host(of: "http://127.0.0.1:8123/model") == "127.0.0.1:8123")
        #expect(SigV4Signer.host(of: "https://h.example:80/") == "h.example:80")
        #expect(SigV4Signer.host(of: "http://[::1]:9000/x") == "[::1]:9000")
        #expect(SigV4Signer.host(of: "http://[::1]/x") == "[::1]")
    }

    @Test func canonicalPathEncodesOnceMore() {
        #expect(SigV4Signer.canonicalURI("") == "/")
        #expect(SigV4Signer.canonicalURI("/model/a%3A0/invoke") == "/model/a%253A0/invoke")
        #expect(SigV4Signer.canonicalURI("/model/a:0/invoke") == "/model/a%3A0/invoke")
        #expect(SigV4Signer.canonicalURI("/a//b/./c/../d/") == "/a/b/d/")
        #expect(HTTPURL.percentEncode("a b:c/d~e_f.g-h") == "a%20b%3Ac%2Fd~e_f.g-h")
    }

    @Test func timestampIsUTC() {
        #expect(SigV4Signer.timestamp(0) == "19700101T000000Z")
        #expect(SigV4Signer.timestamp(1_767_323_045) == "20260102T030405Z")
    }

    @Test func cryptoKnownAnswers() {
        // FIPS 180-2 "abc" and RFC 4231 test case 2.
        #expect(
            Crypto.hex(Crypto.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Crypto.hex(Crypto.sha256([]))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Crypto.hex(Crypto.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
