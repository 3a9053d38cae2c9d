"""Splitting whole-vector work across cores.

NumPy releases the GIL inside its loops, so threads can update disjoint chunks of one
large vector at the same time. Below MIN_CHUNK elements per chunk the threads' overhead
costs more than it saves, and the work stays on the calling thread.
"""

import os
from concurrent.futures import ThreadPoolExecutor

MIN_CHUNK = 1 << 16
_workers = max(1, min(os.cpu_count() or 1, 8))
_pool: ThreadPoolExecutor | None = None  # made on first use, shared by every session


def chunks(size: int) -> list[slice]:
    """Slices covering range(size): one, or one per core for large sizes."""
    n = max(1, min(_workers, size // MIN_CHUNK))
    bounds = [size * i // n for i in range(n + 1)]
    return [slice(a, b) for a, b in zip(bounds, bounds[1:])]


def run(fn, items: list, *args) -> bool:
    """fn(item, *args) for every item, the first on this thread; True if all were True."""
    global _pool
    if len(items) == 1:
        return fn(items[0], *args)
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_workers - 1, thread_name_prefix="engine")
    futures = [_pool.submit(fn, item, *args) for item in items[1:]]
    ok = fn(items[0], *args)
    return all([f.result() for f in futures]) and ok
