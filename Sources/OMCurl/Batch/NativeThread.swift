import Glibc

/// A POSIX thread running one closure, joined by its owner: the batch's driver and workers. The library imports no
/// Foundation, whose `Thread` this would otherwise be.
final class NativeThread {
    private let id: pthread_t

    private init(id: pthread_t) {
        self.id = id
    }

    /// The closure, handed to the new thread through its one pointer argument.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; nil when the system refuses one (the caller carries on without it). The thread
    /// blocks every signal (it inherits the mask in force while it is created), so that the host's signals go to the
    /// host's own threads: PHP's time limit, for one, is a SIGPROF whose handler must not run on a thread of ours.
    static func start(_ body: @escaping @Sendable () -> Void) -> NativeThread? {
        let argument = Unmanaged.passRetained(Body(body)).toOpaque()
        var id = pthread_t()
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        let created = pthread_create(
            &id, nil,
            { argument in
                guard let argument else { return nil }
                Unmanaged<Body>.fromOpaque(argument).takeRetainedValue().run()
                return nil
            }, argument)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        guard created == 0 else {
            Unmanaged<Body>.fromOpaque(argument).release()
            return nil
        }
        return NativeThread(id: id)
    }

    /// Waits until the thread has ended.
    func join() {
        pthread_join(id, nil)
    }
}

/// A one-shot signal from one thread to another: a transfer's driver tells its worker that the transfer ended.
final class Signal: @unchecked Sendable {
    private let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init() {
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    func post() {
        sem_post(semaphore)
    }

    /// Waits for `post`, through interruptions by signals.
    func wait() {
        while sem_wait(semaphore) != 0 && errno == EINTR {}
    }
}
