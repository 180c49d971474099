import MigCheckFoundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one piece of work on a second POSIX thread while the caller does another.
///
/// POSIX threads rather than Foundation or Swift concurrency: the library does not link
/// Foundation (loading it alone costs about 10 MB of resident memory), and a plain
/// thread joined before its result is read needs no further synchronisation.
final class BackgroundThread<Value> {
    /// One core gains nothing from a second thread; `MIGCHECK_SINGLE_THREAD=1` turns it off so
    /// the benchmark can show the difference.
    static var isWorthwhile: Bool { secondCoreAvailable }

    private let work: () -> Value
    private let outcome = Outcome()
    private var thread: pthread_t?

    /// Where the thread leaves its result; `pthread_join` orders the write before the read.
    private final class Outcome {
        var value: Value?
    }

    /// Starts `work` at once on a second core; on one core, or if the system will not create
    /// a thread, `join` runs it instead.
    init(_ work: @escaping () -> Value) {
        self.work = work
        guard Self.isWorthwhile else { return }
        let outcome = self.outcome
        let body = ThreadBody { outcome.value = work() }
        let context = Unmanaged.passRetained(body).toOpaque()
        #if canImport(Glibc)
        var handle = pthread_t()
        #else
        // Darwin's and musl's pthread_t is a pointer, which pthread_create fills in.
        var handle: pthread_t? = nil
        #endif
        if pthread_create(&handle, nil, { context in
            guard let context else { return nil }
            Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context) == 0 {
            thread = handle
        } else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
        }
    }

    /// Waits for the work to finish (running it here if no thread started) and returns its result.
    /// Later calls return the same result at once.
    func join() -> Value {
        if let handle = thread {
            pthread_join(handle, nil)
            thread = nil
        }
        if let value = outcome.value { return value }
        let value = work()
        outcome.value = value
        return value
    }

    deinit {
        // Never leave a thread reading memory its starter may release.
        if let handle = thread { pthread_join(handle, nil) }
    }
}

private let secondCoreAvailable = sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 && getenv("MIGCHECK_SINGLE_THREAD") == nil

/// The non-generic payload a C thread entry point can receive.
private final class ThreadBody {
    let run: () -> Void

    init(_ run: @escaping () -> Void) {
        self.run = run
    }
}

/// A mutual-exclusion lock for the few lazily built tables two threads may both ask for.
final class Lock {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }
}
