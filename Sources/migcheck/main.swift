// The executable: everything else lives in MigCheckCLI (docs/architecture.md).
import MigCheckCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

exit(runProcess().rawValue)
