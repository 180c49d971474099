import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// The strings by which a resource can point at the source cluster, searched at byte speed
/// in raw planned values. A hit must stand on its own: not preceded by a letter, digit, `-`,
/// `_` or `.`, and not followed by a letter, digit, `-` or `_`, so that `app.cluster-…`
/// does not match inside `myapp.cluster-…` nor `…:cluster:app` inside `…:cluster:app-new`.
struct SourceMarkers {
    struct Marker {
        let label: String
        /// For matching only; printed only when `hidden` is false.
        let text: String
        let bytes: [UInt8]
        /// Read from a sensitive value: never quoted.
        var hidden: Bool
    }

    static let secretLabel = "master secret ARN"

    let markers: [Marker]

    init(_ source: ClusterView, minimumIdentifierLength: Int) {
        var markers: [Marker] = []
        func add(_ label: String, _ value: TerraformValue?) {
            // Sensitive values mark the source as much as plain ones do.
            guard let text = value?.unmaskedString, !text.isEmpty else { return }
            if let known = markers.firstIndex(where: { $0.text == text }) {
                // Sensitive in one place is sensitive everywhere.
                if value?.isSensitive == true { markers[known].hidden = true }
                return
            }
            markers.append(Marker(label: label, text: text, bytes: Array(text.utf8), hidden: value?.isSensitive == true))
        }
        let cluster = source.resource
        for value in [cluster.after, cluster.before] { add("endpoint", value?["endpoint"]) }
        for value in [cluster.after, cluster.before] { add("reader endpoint", value?["reader_endpoint"]) }
        for instance in source.instances {
            add("instance endpoint", instance.current["endpoint"])
            add("instance endpoint", instance.current["address"])
        }
        for value in [cluster.after, cluster.before] { add("ARN", value?["arn"]) }
        add("resource ID", cluster.current["cluster_resource_id"])
        add(Self.secretLabel, source.masterSecretARN)
        for value in [cluster.after, cluster.before] {
            if let identifier = value?["cluster_identifier"], (identifier.unmaskedString?.utf8.count ?? 0) >= minimumIdentifierLength {
                add("identifier", identifier)
            }
        }
        self.markers = markers
    }

    /// The first top-level attribute of a value holding a marker, with the marker.
    func firstHit(in node: JSONNode) -> (attribute: String, marker: Marker)? {
        guard node.kind == .object, firstMarker(in: node) != nil else { return nil }
        var hit: (attribute: String, marker: Marker)?
        node.forEachMember { key, value in
            if let marker = firstMarker(in: value) {
                hit = (key.string, marker)
                return false
            }
            return true
        }
        return hit
    }

    func firstMarker(in node: JSONNode) -> Marker? {
        markers.first { marker in node.rawBytesContain(marker.bytes) && Self.containsStandalone(node, marker.bytes) }
    }

    /// A standalone occurrence of `needle` in the node's raw bytes.
    static func containsStandalone(_ node: JSONNode, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return false }
        let bytes = node.document.bytes
        let range = node.byteRange
        guard range.count >= needle.count else { return false }
        var position = range.lowerBound
        let lastStart = range.upperBound - needle.count
        while position <= lastStart {
            if bytes[position] == first {
                var matched = true
                for index in 1..<needle.count where bytes[position + index] != needle[index] {
                    matched = false
                    break
                }
                if matched, standsAlone(bytes, start: position, end: position + needle.count, range: range) { return true }
            }
            position += 1
        }
        return false
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x5F
    }

    private static func standsAlone(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, range: Range<Int>) -> Bool {
        if start > range.lowerBound {
            let before = bytes[start - 1]
            if before == UInt8(ascii: ".") { return false }
            if isWordByte(before) {
                // A JSON escape such as \n or \u003e right before the match is a boundary.
                let simpleEscape = start - 2 >= range.lowerBound && bytes[start - 2] == UInt8(ascii: "\\")
                    && "nrtbf".utf8.contains(before)
                let unicodeEscape = start - 6 >= range.lowerBound && bytes[start - 6] == UInt8(ascii: "\\") && bytes[start - 5] == UInt8(ascii: "u")
                if !simpleEscape && !unicodeEscape { return false }
            }
        }
        if end < range.upperBound, isWordByte(bytes[end]) { return false }
        return true
    }
}
