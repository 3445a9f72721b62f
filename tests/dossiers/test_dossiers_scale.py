"""dvctt.dossiers.aggregate within a memory limit: spilling to its own temporary folder, checks kept across files.

The export is one million dossiers in two Parquet files, written by DuckDB from arithmetic on the row number (no
randomness), so every count below follows from the formulas: dossier i is received on day i % 300 after
2023-01-02, by unit U(i % 7); every fourth dossier is unfinished. 32 MB is too little to hold the MaHoSo
uniqueness check in memory (the same query without a spill folder runs out of memory: asserted below), so the
runs with that limit pass only because DuckDB spills.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dvctt.dossiers.aggregate import REPEATED_HASHES_SQL, _connect, aggregate_dossiers
from dvctt.errors import DataValidationError, ParameterError

N = 1_000_000
TIGHT = "32MB"
ROWS_SQL = """
COPY (
    SELECT
        'HS-' || lpad(CAST(i AS VARCHAR), 8, '0') AS MaHoSo,
        'P1' AS MaTTHC,
        CAST(1 + i % 3 AS TINYINT) AS KenhThucHien,
        'U' || CAST(i % 7 AS VARCHAR) AS DonViXuLy,
        TIMESTAMP '2023-01-02 08:00' + INTERVAL (i % 300) DAY AS NgayTiepNhan,
        TIMESTAMP '2023-01-02 08:00' + INTERVAL (i % 300 + 5) DAY AS NgayHenTra,
        CASE WHEN i % 4 <> 0 THEN TIMESTAMP '2023-01-02 09:00' + INTERVAL (i % 300 + i % 9) DAY END
            AS NgayKetThucXuLy,
        CAST(i % 2 AS TINYINT) AS HoSoCoThanhPhanSoHoa,
        CAST(i // 2 % 2 AS TINYINT) AS CoPhiLePhi,
        CAST(i % 3 AS TINYINT) AS DuocThanhToanTrucTuyen,
        CAST(i // 3 % 2 AS TINYINT) AS ToanTrinh
    FROM {rows} AS t(i)
) TO '{path}' (FORMAT parquet)
"""


def write_export(folder: Path, repeat_from_first_file: int | None = None) -> Path:
    """Dossiers 0..N-1 in two files; optionally dossier ``repeat_from_first_file`` again, in the second."""
    folder.mkdir()
    second = f"range({N // 2}, {N})"
    if repeat_from_first_file is not None:
        second = f"(SELECT * FROM {second} UNION ALL SELECT {repeat_from_first_file})"
    con = duckdb.connect()
    con.execute(ROWS_SQL.format(rows=f"range(0, {N // 2})", path=folder / "part-0.parquet"))
    con.execute(ROWS_SQL.format(rows=second, path=folder / "part-1.parquet"))
    con.close()
    return folder


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("dossiers") / "export")


@pytest.fixture(scope="module")
def export_with_a_repeat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("dossiers") / "export", repeat_from_first_file=4242)


def test_the_export_needs_spilling_under_the_tight_limit(export: Path) -> None:
    """The premise of the runs below: without a folder to spill into, 32 MB cannot check uniqueness."""
    con = duckdb.connect(config={"memory_limit": TIGHT, "temp_directory": ""})
    con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet('{export}/*.parquet')")
    with pytest.raises(duckdb.OutOfMemoryException):
        con.execute(f"SELECT COUNT(*) FROM ({REPEATED_HASHES_SQL})").fetchall()
    con.close()


def test_a_tight_memory_limit_spills_and_gives_the_same_counts(export: Path, tmp_path: Path) -> None:
    spill_root = tmp_path / "spill"
    spill_root.mkdir()
    tight = aggregate_dossiers(export, "month", memory_limit=TIGHT, temp_directory=spill_root)
    roomy = aggregate_dossiers(export, "month", memory_limit=None)
    assert tight.counts.equals(roomy.counts)
    assert tight.n_dossiers == N and int(tight.counts["received"].sum()) == N
    assert int(tight.counts["finished"].sum()) == N - N // 4  # every fourth dossier is unfinished
    assert int(tight.counts["online"].sum()) == len(range(1, N, 3))  # channel 2: i % 3 == 1
    first = tight.counts[(tight.counts["unit_code"] == "U0") & (tight.counts["period"] == "2023-01")].iloc[0]
    # received in January 2023: day offsets 0..29 of every 300, unit U0: i % 7 == 0
    assert first["received"] == sum(1 for i in range(0, N, 7) if i % 300 < 30)
    assert list(spill_root.iterdir()) == []  # the spill folder is removed, with whatever DuckDB wrote in it


def test_a_repeated_id_in_another_file_is_caught_while_spilling(export_with_a_repeat: Path, tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as info:
        aggregate_dossiers(export_with_a_repeat, "month", memory_limit=TIGHT, temp_directory=tmp_path)
    assert "value 'HS-00004242': must be unique: one row per dossier (1 repeated row(s); this one 2 times)" in str(
        info.value
    )
    reported = aggregate_dossiers(
        export_with_a_repeat, "month", memory_limit=TIGHT, temp_directory=tmp_path, on_invalid="report"
    )
    assert reported.n_dossiers == N + 1 and reported.n_invalid == 2  # both copies: which one is right is not ours
    assert int(reported.counts["received"].sum()) == N - 1
    duplicate = reported.invalid[reported.invalid["check"] == "duplicate"]
    assert duplicate[["unit_code", "dossiers", "example"]].values.tolist() == [["U0", 2, "HS-00004242"]]


def test_the_connection_keeps_the_settings_and_removes_its_spill_folder(tmp_path: Path) -> None:
    with _connect(1, "300MB", tmp_path) as con:
        setting = dict(con.execute("SELECT name, value FROM duckdb_settings()").fetchall())
        (spill,) = tmp_path.iterdir()
        assert spill.name.startswith("dvctt-duckdb-") and Path(setting["temp_directory"]) == spill
        assert setting["threads"] == "1" and setting["preserve_insertion_order"] == "false"
        assert setting["memory_limit"] in ("286.1 MiB", "300.0 MB")  # DuckDB shows the limit in its own units
        (spill / "leftover.tmp").write_text("x")
    assert list(tmp_path.iterdir()) == []


def test_too_little_memory_or_no_temporary_folder_is_a_clear_error(export: Path, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"memory_limit='1MB'"):
        aggregate_dossiers(export, "month", memory_limit="1MB", temp_directory=tmp_path)
    with pytest.raises(ParameterError, match="temp_directory"):
        aggregate_dossiers(export, "month", temp_directory=tmp_path / "missing")
    with pytest.raises(ParameterError, match="DuckDB settings"):
        aggregate_dossiers(export, "month", memory_limit="lots")
