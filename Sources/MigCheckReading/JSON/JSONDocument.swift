import MigCheckFoundation

/// A validated JSON document kept as bytes plus its structural index.
///
/// Nothing is decoded up front: `JSONNode`s point into the bytes, and values become
/// Swift values only when a later stage asks for them.
public final class JSONDocument: @unchecked Sendable {
    // @unchecked: the bytes are immutable after validation and owned by `storage`; the one
    // lazily built table is behind a lock, since decoding runs on two threads.
    package let storage: ByteStorage
    public let bytes: UnsafeRawBufferPointer
    let structure: StructuralIndex
    /// Offset of the first byte after an optional UTF-8 byte-order mark.
    package let contentStart: Int
    /// Where `bytes` begins inside `storage` (non-zero for the 2nd, 3rd… document of a stream).
    public let baseOffset: Int
    private var positionTable: PositionTable?
    /// For a large file, the table is built on the second core while the pipeline goes on.
    private var positionTableInProgress: BackgroundThread<PositionTable>?
    private let positionLock = Lock()

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

    /// Findings need line and column, and counting characters across a 100 MB one-line plan
    /// takes a noticeable moment: a large document that is the whole file counts them ahead
    /// of need. (Documents of a stream share their file; they build the table on first use.)
    private var countsPositionsAhead: Bool {
        bytes.count == storage.bytes.count && bytes.count >= JSONScanner.splitThreshold
    }

    /// Counts positions on a second thread while the caller goes on.
    func preparePositionsInBackground() {
        guard countsPositionsAhead, BackgroundThread<PositionTable>.isWorthwhile else { return }
        let storage = self.storage
        positionLock.withLock {
            if positionTable == nil, positionTableInProgress == nil {
                positionTableInProgress = BackgroundThread { PositionTable(storage.bytes) }
            }
        }
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
        positionLock.withLock {
            if positionTable == nil, let inProgress = positionTableInProgress {
                positionTable = inProgress.join()
                positionTableInProgress = nil
            }
            return SourcePosition.locate(offset + baseOffset, in: storage.bytes, table: &positionTable)
        }
    }
}

/// Finding a `SourcePosition` (Foundation) in a file's bytes.
extension SourcePosition {
    /// Builds the line table once per buffer, then answers each lookup by binary search.
    static func locate(_ offset: Int, in bytes: UnsafeRawBufferPointer, table: inout PositionTable?) -> SourcePosition {
        let clamped = min(max(0, offset), bytes.count)
        if table == nil { table = PositionTable(bytes) }
        guard let built = table else { return SourcePosition(line: 1, column: 1) }
        let starts = built.lineStarts
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        // A UTF-8 byte-order mark is not a character an editor shows.
        var lineStart = starts[low]
        if lineStart == 0 { lineStart = min(clamped, ByteStorage.utf8BOMLength(bytes)) }
        let column = built.characters(before: clamped) - built.characters(before: lineStart) + 1
        return SourcePosition(line: low + 1, column: column)
    }

    /// The position of one offset, counted from the start up to it and no further: an error
    /// near the start of a huge file (a binary, a mostly-NUL file) costs nothing of the rest.
    public static func of(_ offset: Int, in bytes: UnsafeRawBufferPointer) -> SourcePosition {
        let clamped = min(max(0, offset), bytes.count)
        var line = 1
        var lineStart = 0
        if let base = bytes.baseAddress {
            while lineStart < clamped, let hit = memchr(base + lineStart, 0x0A, clamped - lineStart) {
                line += 1
                lineStart = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
        }
        // A UTF-8 byte-order mark is not a character an editor shows.
        if lineStart == 0 { lineStart = min(clamped, ByteStorage.utf8BOMLength(bytes)) }
        return SourcePosition(line: line, column: PositionTable.characters(bytes, from: lineStart, to: clamped) + 1)
    }
}

/// Line starts, and characters counted in blocks, so that the line and column of any
/// offset costs a binary search plus at most one block – even on a one-line 1 GB plan.
struct PositionTable {
    static let blockSize = 4096
    let lineStarts: [Int]
    private let bytes: UnsafeRawBufferPointer
    /// Characters (non-continuation bytes) before each block.
    private var charactersBeforeBlock: [Int] = []

    init(lineStarts: [Int], bytes: UnsafeRawBufferPointer) {
        self.lineStarts = lineStarts
        self.bytes = bytes
        self.charactersBeforeBlock = PositionTable.blockCounts(bytes)
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        var starts = [0]
        if let base = bytes.baseAddress {
            var position = 0
            while position < bytes.count,
                  let hit = memchr(base + position, 0x0A, bytes.count - position) {
                let offset = base.distance(to: UnsafeRawPointer(hit))
                starts.append(offset + 1)
                position = offset + 1
            }
        }
        self.init(lineStarts: starts, bytes: bytes)
    }

    private static func blockCounts(_ bytes: UnsafeRawBufferPointer) -> [Int] {
        var counts: [Int] = [0]
        counts.reserveCapacity(bytes.count / blockSize + 2)
        var total = 0
        var block = 0
        while block * blockSize < bytes.count {
            let start = block * blockSize
            total += characters(bytes, from: start, to: min(bytes.count, start + blockSize))
            counts.append(total)
            block += 1
        }
        return counts
    }

    /// Counts bytes that start a character (all but 10xxxxxx), eight at a time.
    static func characters(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var count = 0
        var position = start
        // Continuation bytes are tallied per byte lane and summed every 255 words: no
        // population count per word, which the baseline x86-64 target lacks as an instruction.
        while position + 8 <= end {
            var lanes: UInt64 = 0
            var words = 0
            while words < 255, position + 8 <= end {
                let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                lanes &+= (word & ~(word << 1) & 0x8080_8080_8080_8080) >> 7
                position += 8
                words += 1
            }
            let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
            let continuations = Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
            count += words * 8 - continuations
        }
        while position < end {
            if bytes[position] & 0xC0 != 0x80 { count += 1 }
            position += 1
        }
        return count
    }

    func characters(before offset: Int) -> Int {
        let block = offset / PositionTable.blockSize
        guard block < charactersBeforeBlock.count else { return PositionTable.characters(bytes, from: 0, to: offset) }
        return charactersBeforeBlock[block] + PositionTable.characters(bytes, from: block * PositionTable.blockSize, to: offset)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
