/// The process's exit status: 0 clean, 1 findings at or above --fail-on, 2 bad input or usage.
public struct ExitCode: RawRepresentable, Equatable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// No finding at or above --fail-on.
    public static let clean = ExitCode(rawValue: 0)
    /// Findings at or above --fail-on.
    public static let findings = ExitCode(rawValue: 1)
    /// Bad input or usage, a refused output or a failed write: one `Diagnostic` line says which.
    public static let badInput = ExitCode(rawValue: 2)

    public var description: String { String(rawValue) }
}
