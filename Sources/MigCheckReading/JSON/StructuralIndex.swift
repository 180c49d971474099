import MigCheckFoundation

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

    static let saturated = UInt16.max

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

    /// The index of a finished scan: `count` containers' spans and nested counts as the
    /// scanner stored them, and the exact values of those that saturate.
    init(spans: UnsafePointer<UInt16>, descendants: UnsafePointer<UInt16>, count: Int,
         largeSpans: [LargeValue], largeDescendants: [LargeValue]) {
        self.spans = Array(UnsafeBufferPointer(start: spans, count: count))
        self.descendants = Array(UnsafeBufferPointer(start: descendants, count: count))
        self.largeSpans = largeSpans
        self.largeDescendants = largeDescendants
        sortLargeValues()
    }

    package init() {}

    /// Containers close innermost first; lookups need them in document order.
    private mutating func sortLargeValues() {
        largeSpans.sort { $0.container < $1.container }
        largeDescendants.sort { $0.container < $1.container }
    }
}
