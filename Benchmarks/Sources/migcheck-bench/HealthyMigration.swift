import Foundation

/// The healthy migration every synthetic plan carries, as `Fixtures/tools/healthy-migration.json`
/// describes it: the one model the fixture generator (`Fixtures/tools/world.py`) reads too, so
/// the fixtures and the benchmark's plans show the same account, clusters, instances,
/// parameter groups, secrets and DMS objects. Read at run time from the clone the bench was
/// built in (`Paths.model`).
///
/// Strict, like world.py: a missing key or a value of the wrong type is an error, and so is
/// a key this reader never reads, so a key added to the model has to be taken up by both
/// generators (world.py fails the same way).
struct HealthyMigration {
    struct Parameter {
        let applyMethod: String
        let name: String
        let value: String
    }

    struct Instance {
        let identifier: String
        let dbiResourceID: String
        let availabilityZone: String
    }

    struct Database {
        let clusterIdentifier: String
        let clusterResourceID: String
        let managedSecretARN: String
        let parameterGroupName: String
        let parameters: [Parameter]
        let instances: [Instance]
    }

    let account: String
    let region: String
    let environment: String
    let service: String
    let rdsEndpointHash: String
    let engine: String
    let engineVersion: String
    let parameterGroupFamily: String
    let instanceClass: String
    let databaseName: String
    let masterUsername: String
    let secretRotationWhileMigrating: String
    let source: Database
    let target: Database
    let replicationInstanceARN: String
    let sourceEndpointARN: String
    let targetEndpointARN: String
    let replicationTaskARN: String
    let migrationType: String
    /// A JSON document, taken whole.
    let tableMappings: JSONValue

    /// `<service>-<environment>`, the prefix of the AWS names world.py derives (DMS endpoint
    /// and task identifiers, the ECS secrets policy).
    var prefix: String { "\(service)-\(environment)" }

    /// The model, read once; a process that cannot read it stops with the reason.
    static let shared: HealthyMigration = {
        do {
            return try load(path: Paths.model)
        } catch {
            printError("migcheck-bench: \(error)")
            exit(1)
        }
    }()

    static func load(path: String) throws -> HealthyMigration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BenchError("cannot read the healthy-migration model \(path): \(error.localizedDescription)")
        }
        let root = try ModelObject(parsing: data, path: path)
        let model = try HealthyMigration(root)
        let unread = root.unreadKeys()
        guard unread.isEmpty else {
            throw BenchError("\(path): keys migcheck-bench does not read: \(unread.joined(separator: ", "))"
                + " (the model is shared with Fixtures/tools/world.py: read a new key in both)")
        }
        return model
    }

    private init(_ model: ModelObject) throws {
        func database(_ side: String) throws -> Database {
            let object = try model.object(side)
            let group = try object.object("parameter_group")
            return Database(
                clusterIdentifier: try object.string("cluster_identifier"),
                clusterResourceID: try object.string("cluster_resource_id"),
                managedSecretARN: try object.string("managed_secret_arn"),
                parameterGroupName: try group.string("name"),
                parameters: try group.objects("parameters").map {
                    Parameter(applyMethod: try $0.string("apply_method"), name: try $0.string("name"),
                              value: try $0.string("value"))
                },
                instances: try object.objects("instances").map {
                    Instance(identifier: try $0.string("identifier"), dbiResourceID: try $0.string("dbi_resource_id"),
                             availabilityZone: try $0.string("availability_zone"))
                })
        }
        account = try model.string("account")
        region = try model.string("region")
        environment = try model.string("environment")
        service = try model.string("service")
        rdsEndpointHash = try model.string("rds_endpoint_hash")
        engine = try model.string("engine")
        engineVersion = try model.string("engine_version")
        parameterGroupFamily = try model.string("parameter_group_family")
        instanceClass = try model.string("instance_class")
        databaseName = try model.string("database_name")
        masterUsername = try model.string("master_username")
        secretRotationWhileMigrating = try model.string("secret_rotation_while_migrating")
        source = try database("source")
        target = try database("target")
        let dms = try model.object("dms")
        replicationInstanceARN = try dms.string("replication_instance_arn")
        sourceEndpointARN = try dms.string("source_endpoint_arn")
        targetEndpointARN = try dms.string("target_endpoint_arn")
        replicationTaskARN = try dms.string("replication_task_arn")
        migrationType = try dms.string("migration_type")
        tableMappings = try dms.document("table_mappings")
    }
}

/// One JSON object of the model, remembering which keys were read (world.py's `_Read`).
final class ModelObject {
    private let values: [String: Any]
    private let path: String
    private var read: Set<String> = []
    private var children: [String: [ModelObject]] = [:]

    private init(_ values: [String: Any], path: String) {
        self.values = values
        self.path = path
    }

    convenience init(parsing data: Data, path: String) throws {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw BenchError("\(path) is not JSON: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else { throw BenchError("\(path): not a JSON object") }
        self.init(object, path: "model")
    }

    private func value(_ key: String) throws -> Any {
        guard let value = values[key] else { throw BenchError("healthy-migration model: \(path).\(key) is missing") }
        read.insert(key)
        return value
    }

    private func mismatch(_ key: String, _ expected: String) -> BenchError {
        BenchError("healthy-migration model: \(path).\(key) is not \(expected)")
    }

    func string(_ key: String) throws -> String {
        guard let text = try value(key) as? String else { throw mismatch(key, "a string") }
        return text
    }

    func object(_ key: String) throws -> ModelObject {
        guard let object = try value(key) as? [String: Any] else { throw mismatch(key, "an object") }
        let child = ModelObject(object, path: "\(path).\(key)")
        children[key, default: []].append(child)
        return child
    }

    func objects(_ key: String) throws -> [ModelObject] {
        guard let list = try value(key) as? [Any] else { throw mismatch(key, "a list") }
        let objects = try list.enumerated().map { index, item -> ModelObject in
            guard let object = item as? [String: Any] else { throw mismatch("\(key)[\(index)]", "an object") }
            return ModelObject(object, path: "\(path).\(key)[\(index)]")
        }
        children[key, default: []] += objects
        return objects
    }

    /// A subtree taken whole (a JSON document of strings, objects and lists), as the bench's
    /// JSON value; objects sorted, as Go writes them.
    func document(_ key: String) throws -> JSONValue {
        func convert(_ value: Any) throws -> JSONValue {
            switch value {
            case let text as String: return .string(text)
            case let object as [String: Any]: return .obj(try object.map { ($0.key, try convert($0.value)) })
            case let list as [Any]: return .array(try list.map(convert))
            default: throw mismatch(key, "a document of strings, objects and lists")
            }
        }
        return try convert(try value(key))
    }

    /// Keys of this object and the objects read from it that were never read.
    func unreadKeys() -> [String] {
        var unread = values.keys.filter { !read.contains($0) }.sorted().map { "\(path).\($0)" }
        for key in children.keys.sorted() {
            for child in children[key] ?? [] { unread += child.unreadKeys() }
        }
        return unread
    }
}
