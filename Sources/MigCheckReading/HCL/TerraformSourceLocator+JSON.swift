import MigCheckFoundation

/// `.tf.json` files: the declarations of Terraform's JSON syntax.
extension TerraformSourceLocator {
    /// Terraform's JSON syntax: `{"resource": {"TYPE": {"NAME": {…}}}}`, `"data"` alike, and
    /// `"module": {"NAME": {"source": "…"}}`; each level may also be an array of such objects.
    /// A declaration points at its name's key. A file that is not JSON declares nothing.
    static func scanJSON(_ storage: ByteStorage, file: String) -> [Declaration] {
        guard let document = try? JSONDocument(storage: storage), document.root.kind == .object else { return [] }
        var declarations: [Declaration] = []
        func objects(_ node: JSONNode) -> [JSONNode] {
            switch node.kind {
            case .object: return [node]
            case .array: return node.elements.filter { $0.kind == .object }
            default: return []
            }
        }
        func declare(_ kind: Declaration.Kind, at key: JSONKey) {
            let position = document.position(of: key.offset)
            declarations.append(Declaration(kind: kind, file: file, line: position.line, column: position.column))
        }
        document.root.forEachMember { key, value in
            let keyword = key.string
            for object in objects(value) {
                object.forEachMember { typeKey, typeValue in
                    switch keyword {
                    case "resource", "data":
                        let type = typeKey.string
                        for names in objects(typeValue) {
                            names.forEachMember { nameKey, _ in
                                declare(.resource(mode: keyword == "data" ? .data : .managed, type: type, name: nameKey.string), at: nameKey)
                                return true
                            }
                        }
                    case "module":
                        let source = objects(typeValue).lazy.compactMap { $0["source"]?.string }.first
                        declare(.module(name: typeKey.string, source: source), at: typeKey)
                    default:
                        break
                    }
                    return true
                }
            }
            return true
        }
        return declarations
    }
}
