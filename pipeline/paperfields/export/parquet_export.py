"""Parquet export (optional, pyarrow): a folder with one ``.parquet`` file per exported table.

The same tables as the CSV export (:mod:`paperfields.export.rows` and the user
fields' of :mod:`paperfields.export.layout`, plus ``run``), typed: text as
strings, counts and offsets as 64-bit integers, booleans as booleans and
``number`` (and a user field's number) as a double, so ``pandas.read_parquet``
gives ready columns. pyarrow is large, so it is an optional extra
(``pip install 'paperfields[parquet]'``); without it the export stops with a
one-line message saying so. Rows stream into each file in batches of
``BATCH_ROWS``; each file is written beside its final name and moved into
place when complete.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..io.atomic import replacing
from .layout import export_layout
from .provenance import ProvenanceCollector
from .result import ExportResult
from .rows import Row, TableSpec

if TYPE_CHECKING:
    from ..compare.index import RunIndex

__all__ = ["BATCH_ROWS", "write_parquet"]

BATCH_ROWS = 20_000
MISSING = (
    "the parquet export needs pyarrow, an optional extra: "
    "pip install 'paperfields[parquet]' (or use --format csv or sqlite)"
)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as e:
        raise ConfigError(MISSING) from e
    return pyarrow


class _Table:
    """One Parquet file: rows buffered by column, written in batches."""

    def __init__(self, pa: Any, spec: TableSpec, path: Path) -> None:
        types = {"text": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "real": pa.float64()}
        self.pa = pa
        self.names = spec.column_names
        self.schema = pa.schema([(c.name, types[c.kind]) for c in spec.columns])
        self.writer = pa.parquet.ParquetWriter(str(path), self.schema, compression="zstd")
        self.buffer: list[Row] = []
        self.rows = 0

    def extend(self, rows: list[Row]) -> None:
        self.buffer.extend(rows)
        self.rows += len(rows)
        if len(self.buffer) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            columns = list(zip(*self.buffer, strict=True))
            arrays = [
                self.pa.array(list(values), type=field.type)
                for values, field in zip(columns, self.schema, strict=True)
            ]
            self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
            self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.writer.close()


def write_parquet(index: RunIndex, folder: Path) -> ExportResult:
    """Write one ``<table>.parquet`` per exported table, and ``run.parquet``, into ``folder``.

    Args:
        index: The indexed run.
        folder: The output folder (created when missing; existing files replaced).

    Returns:
        The files written and the row counts.

    Raises:
        ConfigError: pyarrow is not installed.
    """
    pa = _pyarrow()
    folder.mkdir(parents=True, exist_ok=True)
    provenance = ProvenanceCollector()
    layout = export_layout(index.user_fields)
    targets = {spec.name: folder / f"{spec.name}.parquet" for spec in layout.tables}
    with ExitStack() as stack:
        tables = {
            spec.name: _Table(pa, spec, stack.enter_context(replacing(targets[spec.name])))
            for spec in layout.tables
        }
        for _, record, mentions in index.iter_mentions():
            provenance.add(record)
            for name, rows in layout.rows(record, mentions).items():
                tables[name].extend(rows)
        for table in tables.values():
            table.close()
        counts = {name: t.rows for name, t in tables.items()}
        run_target = folder / "run.parquet"
        run_rows = provenance.rows(index.run_dir, index.records_path, counts, index.failed)
        with replacing(run_target) as tmp:
            keys, values = zip(*run_rows, strict=True) if run_rows else ((), ())
            run = pa.table({"key": list(keys), "value": list(values)})
            pa.parquet.write_table(run, str(tmp))
    result = ExportResult(format="parquet", rows=counts)
    result.paths.extend([*targets.values(), run_target])
    result.papers = counts["papers"]
    return result
