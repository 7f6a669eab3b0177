import Testing

@testable import ImageGenHTTP

/// The event stream reader fed the way a network feeds it: in pieces cut anywhere.
@Suite struct ServerSentEventParserTests {
    static func events(_ text: String, cuts: [Int] = [], limit: Int = 1 << 20) throws -> [ServerSentEvent] {
        try events(Array(text.utf8), cuts: cuts, limit: limit)
    }

    static func events(_ bytes: [UInt8], cuts: [Int], limit: Int = 1 << 20) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser(maxEventSize: limit)
        var events: [ServerSentEvent] = []
        var start = 0
        for end in cuts.sorted() + [bytes.count] where end >= start {
            events += try parser.feed(bytes[start..<end])
            start = end
        }
        return events
    }

    static func event(_ name: String, _ data: String) -> ServerSentEvent {
        ServerSentEvent(name: name, data: Array(data.utf8))
    }

    static let stream =
        ": keep-alive ✓ ünicöde\n\nevent: image_generation.partial_image\ndata: {\"b64_json\":\"iVBORw0K\","
        + "\"partial_image_index\":0}\n\n: ping\nevent: image_generation.completed\ndata: {\"b64_json\":\"QUJD\"}\n\n"

    static let expected = [
        event("image_generation.partial_image", #"{"b64_json":"iVBORw0K","partial_image_index":0}"#),
        event("image_generation.completed", #"{"b64_json":"QUJD"}"#),
    ]

    @Test func wholeStreamGivesItsEventsInOrder() throws {
        #expect(try Self.events(Self.stream) == Self.expected)
    }

    @Test func everyCutIntoTwoPiecesGivesTheSameEvents() throws {
        let bytes = Array(Self.stream.utf8)
        for cut in 0...bytes.count {
            #expect(try Self.events(bytes, cuts: [cut]) == Self.expected, "cut at \(cut)")
        }
    }

    @Test func oneByteAtATimeGivesTheSameEvents() throws {
        let bytes = Array(Self.stream.utf8)
        #expect(try Self.events(bytes, cuts: Array(1..<bytes.count)) == Self.expected)
    }

    @Test func crlfAndLoneCRLineEndsCountAsLineEnds() throws {
        let crlf = Self.stream.replacingAll("\n", with: "\r\n")
        let bytes = Array(crlf.utf8)
        for cut in 0...bytes.count {
            #expect(try Self.events(bytes, cuts: [cut]) == Self.expected, "CRLF cut at \(cut)")
        }
        #expect(try Self.events(Self.stream.replacingAll("\n", with: "\r")) == Self.expected)
    }

    @Test func dataLinesJoinWithLineFeedsAndOneLeadingSpaceIsDropped() throws {
        let text = "data:first\ndata:  second\ndata\n\n"
        #expect(try Self.events(text) == [Self.event("message", "first\n second\n")])
    }

    @Test func anEventWithoutDataIsNoEventAndItsNameDoesNotCarryOver() throws {
        #expect(try Self.events("event: lonely\n\ndata: x\n\n") == [Self.event("message", "x")])
    }

    @Test func commentsIdsAndRetriesAreIgnored() throws {
        let text = ":comment\nid: 7\nretry: 1000\nunknown: field\ndata: x\n\n"
        #expect(try Self.events(text) == [Self.event("message", "x")])
    }

    @Test func anErrorEventIsAnEventLikeAnyOther() throws {
        let text = "event: error\ndata: {\"error\":{\"message\":\"no\"}}\n\n"
        #expect(try Self.events(text) == [Self.event("error", #"{"error":{"message":"no"}}"#)])
    }

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)
        for cut in 0...bytes.count {
            #expect(try Self.events(bytes, cuts: [cut]) == [Self.event("message", "x")])
        }
    }

    @Test func aStreamEndingWithoutTheBlankLineLeavesItsEventUnfinished() throws {
        var parser = ServerSentEventParser(maxEventSize: 1024)
        #expect(try parser.feed(Array("data: x\n\nevent: image_generation.completed\ndata: {".utf8)[...]).count == 1)
        #expect(parser.holdsUnfinishedEvent)
        var clean = ServerSentEventParser(maxEventSize: 1024)
        _ = try clean.feed(Array("data: x\n\n".utf8)[...])
        #expect(!clean.holdsUnfinishedEvent)
    }

    @Test func anEventLargerThanTheLimitIsRefusedWhereverItIsCut() throws {
        let text = "data: " + String(repeating: "A", count: 200) + "\n\n"
        #expect(throws: ServerSentEventParser.Failure.eventTooLarge(limit: 100)) {
            try Self.events(text, cuts: [50, 150], limit: 100)
        }
        // Many small data lines add up to one large event.
        let lines = String(repeating: "data: AAAAAAAAAA\n", count: 20) + "\n"
        #expect(throws: ServerSentEventParser.Failure.eventTooLarge(limit: 100)) {
            try Self.events(lines, limit: 100)
        }
        // The limit is per event: many events under it pass.
        let many = String(repeating: "data: AAAAAAAAAA\n\n", count: 50)
        #expect(try Self.events(many, limit: 100).count == 50)
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
