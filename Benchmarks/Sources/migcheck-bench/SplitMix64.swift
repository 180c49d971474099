/// SplitMix64: tiny, fast, well-distributed PRNG. We need the generated plans to
/// be byte-identical on every run and machine, so nothing here may depend on
/// `random()`, `Hasher` (seeded per process) or Dictionary iteration order.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// Derives an independent seed from several integers (block index, module
    /// instance, ...) so any resource instance can be regenerated on demand in
    /// any section of the plan without storing it.
    static func seed(_ parts: Int...) -> UInt64 {
        var mixer = SplitMix64(seed: 0x6D69_6763_6865_636B) // "migcheck"
        var value: UInt64 = 0
        for part in parts {
            value ^= UInt64(bitPattern: Int64(part))
            mixer.state ^= value
            value = mixer.next()
        }
        return value
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform-enough integer in `0..<upperBound` (modulo bias is irrelevant here).
    mutating func int(_ upperBound: Int) -> Int {
        guard upperBound > 1 else { return 0 }
        return Int(next() % UInt64(upperBound))
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(range.count)
    }

    /// True with the given probability in percent.
    mutating func chance(_ percent: Int) -> Bool {
        int(100) < percent
    }

    /// Picks an element; callers only pass non-empty literal tables.
    mutating func pick<T>(_ items: [T]) -> T {
        items[int(items.count)]
    }

    mutating func hex(_ length: Int) -> String {
        String(randomCharacters: length, from: SplitMix64.hexDigits, using: &self)
    }

    mutating func alphanumeric(_ length: Int) -> String {
        String(randomCharacters: length, from: SplitMix64.alphanumerics, using: &self)
    }

    /// Base64-looking text (with `+`, `/`, `=`), like Lambda source hashes.
    mutating func base64(_ length: Int) -> String {
        String(randomCharacters: length, from: SplitMix64.base64Alphabet, using: &self) + "="
    }

    fileprivate static let hexDigits = Array("0123456789abcdef".utf8)
    fileprivate static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    fileprivate static let base64Alphabet =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}

extension String {
    fileprivate init(randomCharacters length: Int, from alphabet: [UInt8], using rng: inout SplitMix64) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(length)
        for _ in 0..<length {
            bytes.append(alphabet[rng.int(alphabet.count)])
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
