import ImageGenCore

/// One event of a `text/event-stream` body: its `event:` name ("message"
/// when it gave none) and its `data:` lines joined by line feeds.
package struct ServerSentEvent: Equatable, Sendable {
    package var name: String
    package var data: [UInt8]

    package init(name: String = "message", data: [UInt8]) {
        self.name = name
        self.data = data
    }
}

/// Reads an event stream as the WHATWG HTML standard defines it ("Server-sent
/// events", the event stream interpretation), fed in whatever pieces the
/// network cut it into: a piece may end inside a line, inside a UTF-8
/// sequence, or between the CR and LF of one line break. Only the event
/// being read is held, and it may not grow past `maxEventSize` bytes: an
/// image's base64 is one event, a server that never ends one must not take
/// all memory.
package struct ServerSentEventParser: Sendable {
    package enum Failure: Error, Equatable, Sendable {
        /// One event (or one line) passed `maxEventSize` bytes.
        case eventTooLarge(limit: Int)
    }

    package let maxEventSize: Int
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var name: String?
    /// The last piece ended with CR: a LF starting the next one ends no line.
    private var afterCarriageReturn = false
    private var atStreamStart = true

    package init(maxEventSize: Int) {
        self.maxEventSize = maxEventSize
    }

    /// Whether bytes of an event not yet ended by a blank line are held: a
    /// stream that stops here lost them (the standard drops such an event).
    package var holdsUnfinishedEvent: Bool { !line.isEmpty || hasData || name != nil }

    /// Takes the next piece; returns the events it completed, in order.
    package mutating func feed(_ piece: ArraySlice<UInt8>) throws(Failure) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        var start = piece.startIndex
        if afterCarriageReturn, start < piece.endIndex {
            afterCarriageReturn = false
            if piece[start] == Self.lf { start += 1 }
        }
        while start < piece.endIndex {
            guard let end = piece[start...].firstIndex(where: { $0 == Self.lf || $0 == Self.cr }) else {
                try append(piece[start...])
                break
            }
            try append(piece[start..<end])
            if let event = takeLine() { events.append(event) }
            start = end + 1
            if piece[end] == Self.cr {
                if start < piece.endIndex {
                    if piece[start] == Self.lf { start += 1 }
                } else {
                    afterCarriageReturn = true
                }
            }
        }
        return events
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>) throws(Failure) {
        guard !bytes.isEmpty else { return }
        guard line.count + data.count + bytes.count <= maxEventSize else {
            throw .eventTooLarge(limit: maxEventSize)
        }
        line.append(contentsOf: bytes)
    }

    /// One whole line read: a field, a comment, or the blank line that
    /// dispatches the event.
    private mutating func takeLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: line.count < 1 << 16) }
        if atStreamStart {
            atStreamStart = false
            // A byte order mark may start the stream; it is not part of the first field.
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        // A colon first: a comment, which servers send as a keep-alive.
        if line[0] == Self.colon { return nil }
        let colon = line.firstIndex(of: Self.colon)
        let field = line[..<(colon ?? line.endIndex)]
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == Self.space { value = value.dropFirst() }
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(Self.lf) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            name = String(decoding: value, as: UTF8.self)
        }
        // `id` and `retry` concern reconnecting, which an image request does not do.
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data = []
            hasData = false
            name = nil
        }
        guard hasData else { return nil }
        let eventName = name.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        return ServerSentEvent(name: eventName, data: data)
    }

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " ")
}
