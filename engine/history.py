"""Training history in bounded memory, however long a session runs.

Each series keeps at most `capacity` points. When it fills, neighbouring points are
merged pairwise (their values averaged, the later x kept) and the series from then on
averages twice as many raw points into each new one: older points are downsampled,
never silently dropped, and `stride` says how many raw points one stored point holds.
"""

import math

import numpy as np

DEFAULT_CAPACITY = 2048


class Series:
    """Columns of floats indexed by an integer x (a step or an epoch count)."""

    def __init__(self, columns: tuple[str, ...], capacity: int = DEFAULT_CAPACITY):
        if capacity < 4 or capacity % 2:
            raise ValueError(f"capacity must be an even number >= 4, received {capacity}")
        self.columns = columns
        self.capacity = capacity
        self.x = np.zeros(capacity, np.int64)
        self.values = np.zeros((capacity, len(columns)))
        self.size = 0
        self.stride = 1
        self._sums = [0.0] * len(columns)
        self._acc_count = 0

    def append(self, x: int, row) -> None:
        """Add one raw point; NaN/inf are kept (as NaN averages) so divergence shows."""
        if self.stride == 1:  # the common case, without the accumulator
            if self.size == self.capacity:
                self._halve()
            else:
                self.x[self.size] = x
                self.values[self.size] = row
                self.size += 1
                return
        # the running sums are Python floats: the same IEEE additions as NumPy's, at a
        # fraction of the cost per call
        sums = self._sums
        for i, value in enumerate(row):
            sums[i] += value
        self._acc_count += 1
        if self._acc_count < self.stride:
            return
        if self.size == self.capacity:
            self._halve()  # the stride doubles: this group is half of a new one
            return
        self.x[self.size] = x
        count = self._acc_count
        self.values[self.size] = [total / count for total in sums]
        self.size += 1
        sums[:] = [0.0] * len(sums)
        self._acc_count = 0

    def extend(self, xs, rows) -> None:
        """append() for many points, storing exactly what append() would: blocks are
        copied while every point is kept (stride 1), and otherwise added into the
        running sums with cumsum, which adds in order as append's Python floats do."""
        rows = np.asarray(rows, dtype=np.float64).reshape(len(xs), len(self.columns))
        i, n = 0, len(xs)
        while i < n:
            if self.stride == 1:
                if self.size < self.capacity:
                    take = min(n - i, self.capacity - self.size)
                    self.x[self.size : self.size + take] = xs[i : i + take]
                    self.values[self.size : self.size + take] = rows[i : i + take]
                    self.size += take
                    i += take
                    continue
                self._halve()
            if self._acc_count == 0 and self.size < self.capacity:
                groups = min((n - i) // self.stride, self.capacity - self.size)
                if groups:  # whole groups at once: each one's sum in order, as append's
                    i = self._store_groups(xs, rows, i, groups)
                    continue
            take = min(self.stride - self._acc_count, n - i)
            block = np.concatenate([np.array([self._sums]), rows[i : i + take]])
            self._sums = np.cumsum(block, axis=0)[-1].tolist()
            self._acc_count += take
            i += take
            if self._acc_count < self.stride:
                continue
            if self.size == self.capacity:
                self._halve()  # the stride doubles: this group is half of a new one
                continue
            self.x[self.size] = xs[i - 1]
            count = self._acc_count
            self.values[self.size] = [total / count for total in self._sums]
            self.size += 1
            self._sums = [0.0] * len(self.columns)
            self._acc_count = 0

    def _store_groups(self, xs, rows, i: int, groups: int) -> int:
        stride, k = self.stride, len(self.columns)
        block = rows[i : i + groups * stride].reshape(groups, stride, k).copy()
        block[:, 0] += 0.0  # append starts from 0.0: 0.0 + -0.0 is 0.0
        sums = np.cumsum(block, axis=1)[:, -1]
        self.x[self.size : self.size + groups] = xs[i + stride - 1 : i + groups * stride : stride]
        self.values[self.size : self.size + groups] = sums / stride
        self.size += groups
        return i + groups * stride

    def _halve(self) -> None:
        half = self.capacity // 2
        self.x[:half] = self.x[1::2]
        self.values[:half] = 0.5 * (self.values[0::2] + self.values[1::2])
        self.size = half
        self.stride *= 2

    def to_dict(self) -> dict:
        """JSON-able columns; non-finite values become None."""
        out = {"x": self.x[: self.size].tolist(), "stride": self.stride}
        for i, name in enumerate(self.columns):
            out[name] = [v if math.isfinite(v) else None for v in self.values[: self.size, i]]
        return out

    def last(self) -> dict | None:
        if not self.size:
            return None
        return {
            "x": int(self.x[self.size - 1]),
            **dict(zip(self.columns, self.values[self.size - 1].tolist())),
        }

    def state(self) -> dict[str, np.ndarray]:
        return {
            "x": self.x[: self.size].copy(),
            "values": self.values[: self.size].copy(),
            "meta": np.array([self.stride, self._acc_count, self.capacity]),
            "acc": np.array(self._sums),
        }

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.stride, self._acc_count, capacity = (int(n) for n in state["meta"])
        if capacity != self.capacity:
            self.__init__(self.columns, capacity)
            self.stride, self._acc_count = int(state["meta"][0]), int(state["meta"][1])
        self.size = len(state["x"])
        self.x[: self.size] = state["x"]
        # a state saved before a column was added (grad_norm) has it missing: NaN
        saved = state["values"]
        saved = saved.reshape(self.size, saved.shape[-1] if saved.ndim == 2 else 1)
        self.values[: self.size, : saved.shape[1]] = saved
        self.values[: self.size, saved.shape[1] :] = np.nan
        sums = [float(v) for v in state["acc"]]
        self._sums = sums + [0.0] * (len(self.columns) - len(sums))

    def nbytes(self) -> int:
        return self.x.nbytes + self.values.nbytes + 8 * len(self._sums)
