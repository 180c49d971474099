/// Plans built line by line, one resource entry a line, so that an error's position names
/// the entry it is about (duplicate addresses, read in-process and through the command line).
enum AddressPlans {
    /// One entry per line, so that "first at line N" names the entry's own line.
    static func lines(_ entries: [String]) -> String {
        "[\n" + entries.joined(separator: ",\n") + "\n]"
    }

    static func change(_ address: String, name: String = "core", deposed: String? = nil) -> String {
        let deposedField = deposed.map { #","deposed":"\#($0)""# } ?? ""
        return #"{"address":"\#(address)","mode":"managed","type":"aws_rds_cluster","name":"\#(name)"\#(deposedField),"change":{"actions":["no-op"],"before":{},"after":{}}}"#
    }

    static func plan(changes: [String] = [], planned: [String] = [], prior: [String] = [], plannedChild: [String]? = nil) -> String {
        let child = plannedChild.map { #","child_modules":[{"address":"module.m","resources":\#(lines($0))}]"# } ?? ""
        return """
        {"format_version":"1.2",
        "planned_values":{"root_module":{"resources":\(lines(planned))\(child)}},
        "prior_state":{"format_version":"1.0","values":{"root_module":{"resources":\(lines(prior))}}},
        "resource_changes":\(lines(changes))}
        """
    }
}
