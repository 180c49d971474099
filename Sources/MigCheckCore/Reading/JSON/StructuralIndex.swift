/// Where every array and object of a validated document ends, in four bytes per container.
///
/// Containers are numbered in document order (the order their opening brackets appear).
/// Navigation carries the number of the next container it will meet, so skipping a whole
/// subtree is one lookup instead of a rescan of its bytes. Nearly every container spans
/// less than 64 KiB and holds fewer than 65,535 others, so both numbers are stored in 16
/// bits; the few that do not fit (the root, `resource_changes`, a module's resource list)
/// saturate and keep their exact value in a short sorted list.
public struct StructuralIndex: Sendable, Equatable {
    /// Bytes from each container's opening bracket to its closing one.
    private var spans: [UInt16] = []
    /// Containers nested (at any depth) inside each container.
    private var descendants: [UInt16] = []
    private var largeSpans: [LargeValue] = []
    private var largeDescendants: [LargeValue] = []

    struct LargeValue: Equatable, Sendable {
        var container: UInt32
        var value: UInt32
    }

    private static let saturated = UInt16.max

    public var containerCount: Int { spans.count }

    /// Closing bracket's distance from the opening one, and the number of nested containers.
    @inline(__always)
    func extent(of container: Int) -> (span: Int, descendants: Int) {
        let span = spans[container]
        let inner = descendants[container]
        if span != Self.saturated, inner != Self.saturated { return (Int(span), Int(inner)) }
        return (span == Self.saturated ? Self.lookUp(container, in: largeSpans) : Int(span),
                inner == Self.saturated ? Self.lookUp(container, in: largeDescendants) : Int(inner))
    }

    private static func lookUp(_ container: Int, in values: [LargeValue]) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if Int(values[middle].container) < container { low = middle + 1 } else { high = middle }
        }
        guard low < values.count, Int(values[low].container) == container else { return 0 }
        return Int(values[low].value)
    }

    // MARK: - Building (the scanner)

    mutating func reserveCapacity(_ containers: Int) {
        spans.reserveCapacity(containers)
        descendants.reserveCapacity(containers)
    }

    /// A container just opened; `record` fills it in when it closes.
    @inline(__always)
    mutating func appendContainer() {
        spans.append(0)
        descendants.append(0)
    }

    @inline(__always)
    mutating func record(_ container: Int, span: Int, descendants inner: Int) {
        if span < Int(Self.saturated) {
            spans[container] = UInt16(truncatingIfNeeded: span)
        } else {
            spans[container] = Self.saturated
            largeSpans.append(LargeValue(container: UInt32(truncatingIfNeeded: container), value: UInt32(truncatingIfNeeded: span)))
        }
        if inner < Int(Self.saturated) {
            descendants[container] = UInt16(truncatingIfNeeded: inner)
        } else {
            descendants[container] = Self.saturated
            largeDescendants.append(LargeValue(container: UInt32(truncatingIfNeeded: container), value: UInt32(truncatingIfNeeded: inner)))
        }
    }

    /// Appends the index of the document's tail, whose containers follow all of this one's.
    mutating func append(_ tail: StructuralIndex) {
        let base = UInt32(truncatingIfNeeded: containerCount)
        spans.append(contentsOf: tail.spans)
        descendants.append(contentsOf: tail.descendants)
        largeSpans.append(contentsOf: tail.largeSpans.map { LargeValue(container: $0.container &+ base, value: $0.value) })
        largeDescendants.append(contentsOf: tail.largeDescendants.map { LargeValue(container: $0.container &+ base, value: $0.value) })
    }

    /// Containers close innermost first; lookups need them in document order.
    mutating func sortLargeValues() {
        largeSpans.sort { $0.container < $1.container }
        largeDescendants.sort { $0.container < $1.container }
    }
}
