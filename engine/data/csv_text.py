"""Parse a user's uploaded CSV text into training arrays.

Users paste or upload their own points, so every mistake must be reported the way
they would find it in their editor: by line number (the header is line 1) and column
name. Quoted fields are handled by the stdlib csv module.
"""

import csv
import io
import math

import numpy as np

from ..errors import SpecError
from ..validate import describe, join


def parse_csv(
    text: str, targets: list[str], path: str = "data.csv", targets_path: str = "data.targets"
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Split CSV text into X (n, n_features) and y (n, len(targets)), both float64.

    The first line is a header of unique, non-empty column names. `targets` names the
    columns that form y (in the order given); X is every other column in file order.
    Returns ``(X, y, feature_names)``. Cells may have surrounding whitespace; blank
    lines at the end are ignored. Errors about the text raise SpecError at `path`,
    errors about `targets` at `targets_path` (e.g. ``data.targets[1]``).
    """
    if not isinstance(text, str):
        raise SpecError(path, f"must be CSV text, received {describe(text)}")
    lines = _read_rows(text.removeprefix("\ufeff"), path)
    if not lines:
        raise SpecError(path, "is empty; expected a header line and at least one data line")
    header_line, header = lines[0]
    columns = _header(header, header_line, path)
    target_index = _target_columns(targets, columns, targets_path)
    feature_index = [i for i in range(len(columns)) if i not in target_index]
    if not feature_index:
        raise SpecError(
            targets_path, "every column is a target; at least one column must remain as input"
        )
    data = lines[1:]
    if not data:
        raise SpecError(path, "has a header but no data lines")
    values = np.empty((len(data), len(columns)), dtype=np.float64)
    for row_number, (line, cells) in enumerate(data, start=1):
        where = f"line {line} (row {row_number} of data)"
        if len(cells) != len(columns):
            raise SpecError(
                path,
                f"{where} has {len(cells)} values but the header has {len(columns)} columns",
            )
        for j, cell in enumerate(cells):
            values[row_number - 1, j] = _number(cell, f"{where}, column {columns[j]!r}", path)
    X = np.ascontiguousarray(values[:, feature_index])
    y = np.ascontiguousarray(values[:, target_index])
    return X, y, [columns[i] for i in feature_index]


def _read_rows(text: str, path: str) -> list[tuple[int, list[str]]]:
    """Rows as (line number where the row ends, stripped cells), trailing blanks dropped.

    A blank line before the last data line is an error, since it usually means the
    file was cut or pasted together wrongly.
    """
    reader = csv.reader(io.StringIO(text), skipinitialspace=True, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise SpecError(path, f"line {reader.line_num}: {error} (check the quotes)") from None
    while rows and _blank(rows[-1][1]):
        rows.pop()
    for line, cells in rows:
        if _blank(cells):
            raise SpecError(path, f"line {line} is blank; only trailing blank lines are allowed")
    return rows


def _blank(cells: list[str]) -> bool:
    return all(cell == "" for cell in cells)


def _header(cells: list[str], line: int, path: str) -> list[str]:
    seen: dict[str, int] = {}
    for j, name in enumerate(cells, start=1):
        if name == "":
            raise SpecError(path, f"header (line {line}): column {j} has no name")
        if name in seen:
            raise SpecError(
                path,
                f"header (line {line}): column name {name!r} appears twice "
                f"(columns {seen[name]} and {j}); names must be unique",
            )
        seen[name] = j
    return cells


def _target_columns(targets: object, columns: list[str], targets_path: str) -> list[int]:
    listing = ", ".join(repr(c) for c in columns)
    if isinstance(targets, str) or not isinstance(targets, (list, tuple)) or not targets:
        raise SpecError(
            targets_path,
            f"must be a non-empty list of column names, received {describe(targets)}; "
            f"columns are {listing}",
        )
    index: list[int] = []
    for k, name in enumerate(targets):
        if not isinstance(name, str) or name not in columns:
            raise SpecError(
                join(targets_path, k), f"no column named {describe(name)}; columns are {listing}"
            )
        if columns.index(name) in index:
            raise SpecError(join(targets_path, k), f"column {name!r} is listed twice")
        index.append(columns.index(name))
    return index


def _number(cell: str, where: str, path: str) -> float:
    """A finite float; Python-only spellings such as '1_000', 'nan' or 'inf' are refused."""
    if cell == "":
        raise SpecError(path, f"{where}: the cell is empty; expected a number")
    try:
        if "_" in cell:
            raise ValueError(cell)
        value = float(cell)
    except ValueError:
        raise SpecError(path, f"{where}: {cell!r} is not a number") from None
    if not math.isfinite(value):
        raise SpecError(path, f"{where}: {cell!r} is not a finite number")
    return value
