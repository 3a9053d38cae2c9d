"""The lock of a session held in memory (app.live)."""

import threading


class TurnLock:
    """A lock that counts the threads waiting for it, and calls `on_enter` after taking
    it and `on_exit` before giving it back, for everyone but the trainer.

    Python's locks are not fair: the trainer, releasing a session's lock at the end of a
    slice and taking it again for the next, can keep a request or a snapshot waiting for
    several slices. With the count, it steps aside whenever someone is waiting. The
    calls keep a session trained in a process of its own (app.training_process) in step
    with the server's copy: brought up to date for whoever takes the lock, and sent
    again after they may have changed it.
    """

    def __init__(self, on_enter=None, on_exit=None):
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        self.waiting = 0
        self._on_enter = on_enter
        self._on_exit = on_exit

    def __enter__(self):
        with self._count_lock:
            self.waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._count_lock:
                self.waiting -= 1
        if self._on_enter is not None:
            try:
                self._on_enter()
            except BaseException:
                self._lock.release()
                raise
        return self

    def __exit__(self, *exc) -> None:
        self.leave()

    def try_enter(self, ready) -> bool:
        """Take the lock as `with` does, only if it is free now and `ready()` says
        entering needs no wait (the event loop must never wait); a True must be
        followed by `leave`."""
        if not self._lock.acquire(blocking=False):
            return False
        if not ready():
            self._lock.release()
            return False
        if self._on_enter is not None:
            self._on_enter()
        return True

    def leave(self) -> None:
        try:
            if self._on_exit is not None:
                self._on_exit()
        finally:
            self._lock.release()

    def acquire(self) -> None:
        """Take the lock without counting as a waiter (the trainer, which steps aside
        for waiters, uses it)."""
        self._lock.acquire()

    def try_acquire(self) -> bool:
        """Take the lock only if it is free now (the event loop must never wait for it);
        a True must be followed by `release`."""
        return self._lock.acquire(blocking=False)

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()
