import MigCheckFoundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// `read(2)` by a name no method shadows, from whichever C library this platform has.
#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// The bytes of one input, memory-mapped when they come from a regular file so a
/// 1 GB plan costs no copy and no heap, or owned when they were read or transcoded.
public final class ByteStorage: @unchecked Sendable {
    /// The most the input reads: the JSON scanner stores offsets in 32 bits to keep its index
    /// small, and a plan of 4 GiB is far beyond any real one.
    public static let maximumSize = Int(UInt32.max)
    /// The limit as every message about it states it.
    public static let maximumSizeText = "4 GiB less one byte (4294967295 bytes)"

    // @unchecked: the memory is never written after construction.
    private enum Ownership {
        case mapped(length: Int)
        case allocated
        case none
    }

    public let bytes: UnsafeRawBufferPointer
    private let ownership: Ownership

    private init(bytes: UnsafeRawBufferPointer, ownership: Ownership) {
        self.bytes = bytes
        self.ownership = ownership
    }

    public convenience init(copying source: [UInt8]) {
        if source.isEmpty {
            self.init(bytes: UnsafeRawBufferPointer(start: nil, count: 0), ownership: .none)
            return
        }
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 16)
        source.withUnsafeBytes { memory.copyMemory(from: $0) }
        self.init(bytes: UnsafeRawBufferPointer(memory), ownership: .allocated)
    }

    deinit {
        switch ownership {
        case .mapped(let length):
            if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
        case .allocated:
            bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        case .none:
            break
        }
    }

    static func utf8BOMLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return 3 }
        return 0
    }

    /// Why a path could not be read, phrased for the one-line error.
    public enum ReadError: Error, Equatable, Sendable {
        case notFound
        case isDirectory
        case notRegularFile
        case permissionDenied
        case tooLarge(limit: Int)
        case system(String)

        public var message: String {
            switch self {
            case .notFound: return "no such file (expected the JSON from `terraform show -json tfplan`)"
            case .isDirectory: return "is a directory (expected a plan or state JSON file)"
            case .notRegularFile: return "is not a regular file (expected a plan or state JSON file)"
            case .permissionDenied: return "permission denied"
            case .tooLarge: return "larger than \(ByteStorage.maximumSizeText), the most migcheck reads (expected a plan or state JSON file)"
            case .system(let text): return text
            }
        }
    }

    /// Reads `path` ("-" for standard input).
    public static func read(path: String) throws -> ByteStorage {
        if path == "-" { return try readAll(descriptor: 0) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw readError(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw readError(errno) }
        let fileType = status.st_mode & S_IFMT
        if fileType == S_IFDIR { throw ReadError.isDirectory }
        guard fileType == S_IFREG else { return try readAll(descriptor: descriptor) }
        let length = Int(status.st_size)
        // Some files report no size but have content (/proc); read those as a stream.
        if length == 0 { return try readAll(descriptor: descriptor) }
        guard length <= ByteStorage.maximumSize else { throw ReadError.tooLarge(limit: ByteStorage.maximumSize) }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            return try readAll(descriptor: descriptor)
        }
        // The scanner reads front to back once; tell the kernel to read ahead.
        _ = madvise(mapped, length, MADV_SEQUENTIAL)
        return ByteStorage(bytes: UnsafeRawBufferPointer(start: mapped, count: length), ownership: .mapped(length: length))
    }

    /// For pipes and other streams that cannot be mapped. An endless or binary stream
    /// (/dev/zero, /dev/urandom, `yes`) is not read to its end: reading stops once the bytes
    /// so far cannot begin a plan or state, and the reader then reports where and why.
    private static func readAll(descriptor: Int32) throws -> ByteStorage {
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw readError(errno)
            }
            if got == 0 { break }
            let start = collected.count
            collected.append(contentsOf: chunk[0..<got])
            guard collected.count <= ByteStorage.maximumSize else {
                throw ReadError.tooLarge(limit: ByteStorage.maximumSize)
            }
            if cannotBeJSONText(collected, newFrom: start) { break }
        }
        return ByteStorage(copying: collected)
    }

    /// True when what was read already rules out a JSON document: it starts with neither `{`
    /// nor anything the reader explains (a byte-order mark, UTF-16, setup-terraform's
    /// `[command]` line), or it holds a NUL character, which JSON text never does.
    static func cannotBeJSONText(_ bytes: [UInt8], newFrom start: Int) -> Bool {
        let detected = bytes.withUnsafeBytes { TextEncoding.detect($0) }
        if case .utf16 = detected {
            // A NUL code unit: a zero pair at an even offset (the byte-order mark is two bytes too).
            var index = start - start % 2
            while index + 1 < bytes.count {
                if bytes[index] == 0, bytes[index + 1] == 0 { return true }
                index += 2
            }
            return false
        }
        if bytes[start...].contains(0) { return true }
        var first = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while first < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[first]) { first += 1 }
        guard first < bytes.count else { return false }
        return bytes[first] != UInt8(ascii: "{") && bytes[first] != UInt8(ascii: "[")
    }

    private static func readError(_ code: Int32) -> ReadError {
        switch code {
        case ENOENT, ENOTDIR: return .notFound
        case EISDIR: return .isDirectory
        case EACCES, EPERM: return .permissionDenied
        default:
            if let text = strerror(code) { return .system(String(cString: text)) }
            return .system("error \(code)")
        }
    }
}
