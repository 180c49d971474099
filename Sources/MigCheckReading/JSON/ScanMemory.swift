import MigCheckFoundation

/// The scanner's working memory as plain buffers: pushing a container or a key is a store,
/// without an array's uniqueness and capacity checks on every byte-speed step. A class, so
/// that copies of a scanner (the tail scanner handed between threads) share it and the last
/// one frees it.
final class ScanMemory {
    let frames: UnsafeMutablePointer<JSONScanner.Frame>
    private(set) var keys: UnsafeMutablePointer<JSONScanner.KeyRecord>
    private(set) var keyCapacity = 256
    private(set) var spans: UnsafeMutablePointer<UInt16>
    private(set) var descendants: UnsafeMutablePointer<UInt16>
    private(set) var containerCapacity: Int

    init(containerCapacity: Int) {
        frames = .allocate(capacity: JSONScanner.maximumDepth)
        keys = .allocate(capacity: keyCapacity)
        self.containerCapacity = containerCapacity
        spans = .allocate(capacity: containerCapacity)
        descendants = .allocate(capacity: containerCapacity)
    }

    func growKeys(keeping count: Int) {
        keyCapacity *= 2
        let grown = UnsafeMutablePointer<JSONScanner.KeyRecord>.allocate(capacity: keyCapacity)
        grown.moveInitialize(from: keys, count: count)
        keys.deallocate()
        keys = grown
    }

    func growContainers(keeping count: Int) {
        containerCapacity *= 2
        spans = Self.grown(spans, count: count, capacity: containerCapacity)
        descendants = Self.grown(descendants, count: count, capacity: containerCapacity)
    }

    private static func grown(_ old: UnsafeMutablePointer<UInt16>, count: Int, capacity: Int) -> UnsafeMutablePointer<UInt16> {
        let new = UnsafeMutablePointer<UInt16>.allocate(capacity: capacity)
        new.moveInitialize(from: old, count: count)
        old.deallocate()
        return new
    }

    deinit {
        frames.deallocate()
        keys.deallocate()
        spans.deallocate()
        descendants.deallocate()
    }
}
