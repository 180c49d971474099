/// A validated JSON document kept as bytes plus its structural index.
///
/// Nothing is decoded up front: `JSONNode`s point into the bytes, and values become
/// Swift values only when a later stage asks for them.
public final class JSONDocument: @unchecked Sendable {
    // @unchecked: the bytes are immutable after validation and owned by `storage`.
    let storage: ByteStorage
    public let bytes: UnsafeRawBufferPointer
    let structure: StructuralIndex
    /// Offset of the first byte after an optional UTF-8 byte-order mark.
    let contentStart: Int
    /// Where `bytes` begins inside `storage` (non-zero for the 2nd, 3rd… document of a stream).
    public let baseOffset: Int
    private var lineStarts: [Int]?

    /// Validates `storage` (or the part of it in `range`) as strict JSON.
    /// Throws `JSONSyntaxError` with an offset relative to `range.lowerBound`.
    public init(storage: ByteStorage, range: Range<Int>? = nil) throws {
        self.storage = storage
        let range = range ?? 0..<storage.bytes.count
        self.baseOffset = range.lowerBound
        self.bytes = UnsafeRawBufferPointer(rebasing: storage.bytes[range])
        let start = range.lowerBound == 0 ? ByteStorage.utf8BOMLength(storage.bytes) : 0
        self.contentStart = start
        self.structure = try JSONScanner.scan(bytes, from: start)
    }

    public convenience init(bytes: [UInt8]) throws {
        try self.init(storage: ByteStorage(copying: bytes))
    }

    public convenience init(text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    public var root: JSONNode {
        var position = contentStart
        while position < bytes.count, JSONNode.isWhitespace(bytes[position]) { position += 1 }
        return JSONNode(document: self, offset: position, container: 0)
    }

    public var containerCount: Int { structure.containerCount }

    /// 1-based line and column (in Unicode scalars) of a byte offset, counted in the whole file.
    public func position(of offset: Int) -> SourcePosition {
        SourcePosition.locate(offset + baseOffset, in: storage.bytes, lineStarts: &lineStarts)
    }
}

/// A line and column in a file, both 1-based, the column counted in Unicode scalars.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    /// Builds the line table once per buffer, then answers each lookup by binary search.
    static func locate(_ offset: Int, in bytes: UnsafeRawBufferPointer, lineStarts: inout [Int]?) -> SourcePosition {
        let clamped = min(max(0, offset), bytes.count)
        let starts: [Int]
        if let cached = lineStarts {
            starts = cached
        } else {
            var table = [0]
            for index in 0..<bytes.count where bytes[index] == 0x0A { table.append(index + 1) }
            lineStarts = table
            starts = table
        }
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        var column = 1
        var index = starts[low]
        // A UTF-8 byte-order mark is not a character editors show: columns start after it.
        if index == 0 { index = min(clamped, ByteStorage.utf8BOMLength(bytes)) }
        while index < clamped {
            // Continuation bytes (10xxxxxx) do not start a new character.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: low + 1, column: column)
    }

    public static func of(_ offset: Int, in bytes: UnsafeRawBufferPointer) -> SourcePosition {
        var table: [Int]?
        return locate(offset, in: bytes, lineStarts: &table)
    }
}
