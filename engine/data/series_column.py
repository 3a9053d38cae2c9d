"""One numeric column of a user's CSV text, as a time series."""

import numpy as np

from ..errors import SpecError
from ..validate import describe
from .csv_text import _header, _number, _read_rows

MIN_SERIES_POINTS = 10


def column_of(
    csv_text: str,
    column: str | int,
    path: str = "data.csv",
    column_path: str = "data.column",
) -> np.ndarray:
    """One numeric column of CSV text, (n,) float64, in file order.

    The first line is a header of unique column names; `column` is a name or a 0-based
    index. Only that column must hold numbers (a date column beside it is fine). Errors
    about the text are SpecErrors at `path` naming the line and column, errors about
    `column` at `column_path` listing the columns; fewer than MIN_SERIES_POINTS values
    is an error.
    """
    if not isinstance(csv_text, str):
        raise SpecError(path, f"must be CSV text, received {describe(csv_text)}")
    rows = _read_rows(csv_text.removeprefix("\ufeff"), path)
    if not rows:
        raise SpecError(path, "is empty; expected a header line and the series below it")
    header_line, header = rows[0]
    if all(_is_number(cell) for cell in header):
        raise SpecError(
            path, f"line {header_line} holds numbers; the first line must name the columns"
        )
    columns = _header(header, header_line, path)
    j = _column_index(column, columns, column_path)
    values = np.empty(len(rows) - 1, dtype=np.float64)
    for k, (line, cells) in enumerate(rows[1:]):
        if len(cells) != len(columns):
            raise SpecError(
                path, f"line {line} has {len(cells)} values but the header has {len(columns)}"
            )
        values[k] = _number(cells[j], f"line {line}, column {columns[j]!r}", path)
    if len(values) < MIN_SERIES_POINTS:
        raise SpecError(
            path,
            f"has {len(values)} values in column {columns[j]!r}; a series needs at least "
            f"{MIN_SERIES_POINTS}",
        )
    return values


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _column_index(column: object, columns: list[str], column_path: str) -> int:
    listing = ", ".join(f"{j} {name!r}" for j, name in enumerate(columns))
    if isinstance(column, str) and column in columns:
        return columns.index(column)
    if isinstance(column, int) and not isinstance(column, bool) and 0 <= column < len(columns):
        return column
    if isinstance(column, int) and not isinstance(column, bool):
        problem = f"column index {column} is out of range"
    elif isinstance(column, str):
        problem = f"no column named {column!r}"
    else:
        problem = f"must be a column name or 0-based index, received {describe(column)}"
    raise SpecError(column_path, f"{problem}; the columns are {listing}")
