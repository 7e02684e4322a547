"""Hostile and broken files, each built here in code: refused with one line naming the file, quickly, in
little memory, and the database stays exactly as it was; a load killed with SIGKILL leaves every file's
reports wholly in or wholly out."""

from __future__ import annotations

import os
import random
import signal
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import duckdb
import pytest

from grantstats.model import ReadError
from grantstats.safety import Limits, check_file
from grantstats.worker import ParsePool

ROOT = Path(__file__).resolve().parent.parent
GIB = 1 << 30

# ----------------------------------------------------------------------------------------------------------
# Builders

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Свод" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sheet_xml(rows: list[list[str]], dimension: str | None = None, prologue: str = "",
              extra_rows: str = "") -> str:
    """A worksheet of inline strings; `dimension` as declared (the real extent by default)."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    if dimension is None:
        dimension = f"A1:{chr(64 + max(len(r) for r in rows))}{len(rows)}"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prologue}'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{"".join(body)}{extra_rows}</sheetData></worksheet>')


def xlsx_parts(sheet: str) -> dict[str, bytes]:
    return {"[Content_Types].xml": CONTENT_TYPES.encode(), "_rels/.rels": ROOT_RELS.encode(),
            "xl/workbook.xml": WORKBOOK.encode(), "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
            "xl/worksheets/sheet1.xml": sheet.encode()}


def write_xlsx(path: Path, sheet: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in xlsx_parts(sheet).items():
            z.writestr(name, data)
    return path


def raw_zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written by hand: (name, deflated bytes, crc32, declared size, flags) per entry, so the sizes
    and flags can say anything."""
    local, central = bytearray(), bytearray()
    for name, data, crc, size, flags in entries:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, 0, 0x21, crc, len(data), size,
                             len(encoded), 0) + encoded + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_bomb(path: Path) -> Path:
    """An xlsx whose sheet is 1 GiB of zeros, in about 1 MB: the same flushed deflate block of 1 MiB repeated
    1024 times, then an empty final block. Built in milliseconds; nothing is ever inflated here."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    stream = block * 1024 + zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    entries = [(n, deflate(d), zlib.crc32(d), len(d), 0) for n, d in xlsx_parts("").items() if "sheet1" not in n]
    entries.append(("xl/worksheets/sheet1.xml", stream, ZEROS_GIB_CRC32, GIB, 0))
    return raw_zip(path, entries)


ZEROS_GIB_CRC32 = 0x5B64C2B0  # zlib.crc32(bytes(2**30)); checked in test_zip_bomb_is_what_it_claims


def ods(path: Path, table_body: str, manifest_extra: str = "") -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Свод">{table_body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                f'{manifest_extra}</manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def ods_cell(text: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def compound_file(path: Path, streams: dict[str, bytes]) -> Path:
    """An OLE2 compound file (version 3, 512-byte sectors) holding `streams`, each padded to 4096 bytes so
    none goes into the mini stream: one FAT sector, one directory sector, then the streams' sectors."""
    ssize = 512
    names = list(streams)
    assert len(names) <= 3
    data_sectors, starts, sector = [], [], 2
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT itself; sector 1: the directory (one sector)
    for name in names:
        blob = streams[name].ljust(4096, b"\0")
        count = len(blob) // ssize
        starts.append(sector)
        fat += [sector + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        data_sectors.append(blob)
        sector += count
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, 0xFFFFFFFF, right, starts[i], len(streams[name]))
    directory = directory.ljust(ssize, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *([0xFFFFFFFF] * 108)))
    assert len(header) == 512
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + b"".join(data_sectors))
    return path


def encrypted_xlsx(path: Path) -> Path:
    """What Excel writes for a password-protected workbook: an OLE2 file with EncryptionInfo and
    EncryptedPackage streams (agile encryption: version 4.4, an XML descriptor)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    return compound_file(path, {"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 5000) + os.urandom(64)})


REGISTRY_HEADER = ["Грантополучатель", "Регион", "Сумма гранта", "Прямые бенефициары (план)",
                   "Прямые бенефициары (факт)", "Номер договора"]


def registry_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(REGISTRY_HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Every kind of hostile or broken file: name -> (path, words the refusal must hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + "]>")
    good = registry_xlsx(folder / "good-source.xlsx", [["ОО «Альфа»", "г. Алматы", 1000000, 10, 12, "A-1"]])
    whole = good.read_bytes()
    files = {
        "bomb": (zip_bomb(folder / "bomb.xlsx"), "zip bomb"),
        "wide_sheet": (write_xlsx(folder / "wide.xlsx", sheet_xml([["a"]], dimension="A1:XFD1048576")),
                       "17,179,869,184 cells"),
        "laughs": (write_xlsx(folder / "laughs.xlsx", sheet_xml([["&lol9;"]], prologue=laughs)), "DTD"),
        "external_entity": (write_xlsx(folder / "xxe.xlsx", sheet_xml(
            [["&xxe;"]], prologue='<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')), "DTD"),
        "encrypted": (encrypted_xlsx(folder / "locked.xlsx"), "password-protected"),
        "truncated": (_write(folder / "truncated.xlsx", whole[: len(whole) // 2]), "damaged or incomplete"),
        "binary": (_write(folder / "photo.xlsx", random.Random(7).randbytes(5000)),
                   "not a report file"),
        "empty": (_write(folder / "empty.xlsx", b""), "empty"),
        "ods_repeats": (ods(folder / "repeats.ods", '<table:table-row table:number-rows-repeated="1048576">'
                            '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
                            'office:value="1"/></table:table-row>'), "cells"),
        "zip_crypto": (raw_zip(folder / "zipcrypto.xlsx", [
            (n, deflate(d), zlib.crc32(d), len(d), 1) for n, d in xlsx_parts(sheet_xml([["a"]])).items()]),
            "password-protected"),
        "garbled_csv": (_write(folder / "garbled.csv", "Грантополучатель;Регион\nОО «Альфа»;Алматы\n"
                               .encode("utf-8").decode("cp1251", "replace").encode("utf-8")), "garbled"),
    }
    return files


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ----------------------------------------------------------------------------------------------------------
# The builders build what they claim


def test_zip_bomb_is_what_it_claims(tmp_path):
    """The bomb declares and really holds 1 GiB: inflate its first 64 MiB and check the stream's end."""
    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2 * (1 << 20)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == GIB
        assert info.file_size / info.compress_size > 1000
        with z.open(info) as part:
            assert part.read(64 << 20) == bytes(64 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    assert len(zlib.decompressobj(-15).decompress(block * 3)) == 3 << 20  # blocks stand alone: repeatable
    crc = 0
    chunk = bytes(16 << 20)
    for _ in range(64):
        crc = zlib.crc32(chunk, crc)
    assert crc == ZEROS_GIB_CRC32


def test_compound_file_builder_writes_a_readable_directory(tmp_path):
    from grantstats.safety import ole_stream_names

    path = compound_file(tmp_path / "x.xls", {"Workbook": b"\x09\x08" + bytes(100), "SummaryInformation": b"x"})
    assert ole_stream_names(path.read_bytes()) == {"Root Entry", "Workbook", "SummaryInformation"}


# ----------------------------------------------------------------------------------------------------------
# Each hostile file: refused before any parser, quickly, in little memory


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_files(tmp_path_factory.mktemp("hostile"))


HOSTILE = ["bomb", "wide_sheet", "laughs", "external_entity", "encrypted", "truncated", "binary", "empty",
           "ods_repeats", "zip_crypto", "garbled_csv"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_file_is_refused_by_the_check_fast_and_small(hostile, kind):
    path, words = hostile[kind]
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ReadError) as refused:
        check_file(path, Limits())
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    message = str(refused.value)
    assert message.startswith(path.name + ": ")
    assert words in message
    assert "\n" not in message
    assert elapsed < 1.0, f"{kind}: {elapsed:.2f} s"
    assert peak < 8 << 20, f"{kind}: {peak / (1 << 20):.1f} MB"


def test_every_hostile_file_is_refused_through_the_pool_and_the_good_one_still_reads(hostile, tmp_path):
    good = registry_xlsx(tmp_path / "good.xlsx", [["ОО «Альфа»", "г. Алматы", 1000000, 10, 12, "A-1"]])
    paths = [hostile[k][0] for k in HOSTILE] + [good]
    with ParsePool(Limits(parse_timeout_s=10)) as pool:
        started = time.perf_counter()
        outcomes = list(pool.parse_many(paths))
        elapsed = time.perf_counter() - started
        assert pool.restarts == 0  # every refusal came from the check: no worker had to die
    assert [p for p, _ in outcomes] == paths
    for (path, outcome), kind in zip(outcomes, HOSTILE):
        assert isinstance(outcome, ReadError), kind
        assert str(outcome).startswith(path.name + ": "), kind
    layout, reports = outcomes[-1][1]
    assert layout == "registry" and [r.grantee for r in reports] == ["ОО «Альфа»"]
    assert elapsed < 15


# ----------------------------------------------------------------------------------------------------------
# What the check cannot see: the worker's limits end the worker, not the service


def lying_sheet(path: Path) -> Path:
    """Declares A1:A1 but holds a cell at XFD1048576: calamine asks for 17 billion cells and aborts the
    process (a Rust allocation failure cannot be caught). Only a separate process survives it."""
    return write_xlsx(path, sheet_xml([["a"]], dimension="A1:A1",
                                      extra_rows='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def test_a_file_that_kills_its_worker_is_refused_and_the_rest_still_load(tmp_path):
    rows = [["ОО «Альфа»", "г. Алматы", 1000000, 10, 12, "A-1"]]
    paths = [registry_xlsx(tmp_path / f"r{i}.xlsx", [[f"ОО «Фонд {i}»", *rows[0][1:5], f"N-{i}"]])
             for i in range(6)]
    paths.insert(3, lying_sheet(tmp_path / "liar.xlsx"))
    assert check_file(paths[3]) == "xlsx"  # nothing to see before parsing
    with ParsePool(Limits(worker_memory_mb=512, parse_timeout_s=10)) as pool:
        started = time.perf_counter()
        outcomes = list(pool.parse_many(paths))
        elapsed = time.perf_counter() - started
        assert pool.restarts >= 1
        assert pool.parse_one(paths[0])[0] == "registry"  # the rebuilt pool goes on working
    liar = outcomes[3][1]
    assert isinstance(liar, ReadError)
    assert str(liar) == ("liar.xlsx: the file could not be parsed within the memory/time limits "
                         "(it may be damaged or hostile)")
    others = [o for i, (_, o) in enumerate(outcomes) if i != 3]
    assert all(not isinstance(o, ReadError) for o in others), others
    assert [o[1][0].grantee for o in others] == [f"ОО «Фонд {i}»" for i in range(6)]
    assert elapsed < 20


# ----------------------------------------------------------------------------------------------------------
# Through the CLI: the database stays exactly as it was


def _snapshot(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        return {t: sorted(map(repr, con.execute(f'select * from "{t}"').fetchall())) for t in tables}


class TreePeak:
    """Peak resident memory of a process and all its descendants, sampled every 20 ms from /proc."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(child for child, parent in parents.items() if parent == pid)
        return tree

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/statm") as f:
                        total += int(f.read().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_ingest(*args: str, env: dict | None = None,
               timeout: float = 120) -> tuple[subprocess.CompletedProcess, float, int]:
    """`python -m grantstats ingest ...` as a user runs it: result, seconds, peak memory of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "grantstats", "ingest", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})},
                            start_new_session=True)
    peak = TreePeak(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        peak.stop()
        _kill_group(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), time.perf_counter() - started, peak.peak


def _kill_group(proc: subprocess.Popen) -> None:
    """End what is left of a process we started (its parsing workers), by its own process group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def test_hostile_files_through_the_cli_leave_the_database_exactly_as_it_was(hostile, tmp_path):
    db = tmp_path / "g.duckdb"
    seed = registry_xlsx(tmp_path / "seed.xlsx", [["ОО «Альфа»", "г. Алматы", 1000000, 10, 12, "A-1"],
                                                  ["ОФ «Бета»", "ЗКО", 2500000, 40, 38, "B-2"]])
    first, _, _ = run_ingest(str(seed), "--db", str(db))
    assert first.returncode == 0, first.stdout + first.stderr
    before = _snapshot(db)
    assert len(before["reports"]) == 2

    oversize = registry_xlsx(tmp_path / "oversize.xlsx", [["ОО «Гамма»", "ЗКО", 1, 1, 1, "C-3"]])
    with open(oversize, "ab") as f:
        f.truncate(3 << 20)  # 3 MB, mostly a hole: cheap on disk
    paths = [hostile[k][0] for k in HOSTILE] + [lying_sheet(tmp_path / "liar.xlsx"), oversize]
    result, seconds, peak = run_ingest(*map(str, paths), "--db", str(db),
                                       env={"GRANTSTATS_MAX_FILE_MB": "2", "GRANTSTATS_WORKER_MEMORY_MB": "512"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for trace in ("Traceback", "panicked", "backtrace", "memory allocation"):
        assert trace not in output
    lines = [line for line in result.stdout.splitlines() if line.startswith("refused")]
    assert len(lines) == len(paths), result.stdout
    for path, line in zip(paths, lines):
        assert line.startswith(f"refused   {path.name}: "), line
    assert "refused   liar.xlsx: the file could not be parsed within the memory/time limits" in result.stdout
    assert "refused   oversize.xlsx: the file is 3.0 MB, over the 2 MB limit for one file" in result.stdout
    assert _snapshot(db) == before
    assert seconds < 30, f"{seconds:.1f} s"
    assert peak < 1 * GIB, f"{peak / (1 << 20):.0f} MB"


# ----------------------------------------------------------------------------------------------------------
# SIGKILL in the middle of a load: every file wholly in or wholly out


def _batch(folder: Path, files: int, seed: int) -> dict[str, int]:
    """Small registry CSV files with distinct contracts: file name -> number of reports in it."""
    rng = random.Random(seed)
    folder.mkdir()
    expected = {}
    for i in range(files):
        rows = [[f"ОО «Фонд {i}-{j}»", rng.choice(["г. Алматы", "г. Астана", "ЗКО", "г. Шымкент"]),
                 str(rng.randrange(1, 90) * 100000), str(rng.randrange(10, 500)), str(rng.randrange(10, 500)),
                 f"K-{seed}-{i}-{j}"] for j in range(rng.randint(1, 4))]
        text = "\n".join(";".join(row) for row in [REGISTRY_HEADER, *rows]) + "\n"
        (folder / f"f{i:04d}.csv").write_text(text, encoding="utf-8")
        expected[f"f{i:04d}.csv"] = len(rows)
    return expected


def _check_all_or_nothing(db: Path, expected: dict[str, int]) -> int:
    """Every file the database knows has all its reports and their rows; no report is without its file."""
    with duckdb.connect(str(db), read_only=True) as con:
        per_file = dict(con.execute("select f.name, count(r.report_id) from files f "
                                    "left join reports r on r.file_sha256 = f.sha256 group by f.name").fetchall())
        declared = dict(con.execute("select name, reports from files").fetchall())
        orphans = con.execute("select count(*) from reports where file_sha256 not in (select sha256 from files)"
                              ).fetchone()[0]
        children = sum(con.execute(f"select count(*) from {t} where report_id not in (select report_id from reports)"
                                   ).fetchone()[0] for t in ("indicators", "participants", "report_regions"))
        regions = con.execute("select count(distinct report_id) from report_regions").fetchone()[0]
        reports = con.execute("select count(*) from reports").fetchone()[0]
    assert orphans == 0 and children == 0
    assert regions == reports  # every stored report has its region row: none stored half-way
    for name, count in per_file.items():
        assert count == expected[name] == declared[name], name
    return len(per_file)


def test_sigkill_during_a_load_leaves_each_file_wholly_in_or_out(tmp_path):
    # five batches of 250 files, each saved in one transaction: after the first batch's lines there are
    # at least 1000 files still to read and save, far more than the 0.2 s before the kill, on any machine
    expected = _batch(tmp_path / "batch", 5 * 250, seed=11)
    db = tmp_path / "g.duckdb"
    rng = random.Random()
    killed = 0
    for delay in (rng.uniform(0, 0.2), rng.uniform(0, 0.2)):
        proc = subprocess.Popen([sys.executable, "-m", "grantstats", "ingest", str(tmp_path / "batch"),
                                 "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                start_new_session=True)
        # a first batch is saved when its lines appear: kill while the next one is read or saved
        for line in proc.stdout:
            if line.startswith(("loaded", "unchanged")):
                break
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        _kill_group(proc)
        proc.stdout.close()
        killed += proc.returncode == -signal.SIGKILL
        _check_all_or_nothing(db, expected)  # and the database opens
    assert killed == 2
    result, _, _ = run_ingest(str(tmp_path / "batch"), "--db", str(db), timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert _check_all_or_nothing(db, expected) == len(expected)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from reports").fetchone()[0] == sum(expected.values())


def test_entities_are_refused_by_the_readers_too_not_only_by_the_check(hostile):
    """Second line: were the check skipped, calamine does not expand entities and openpyxl goes through
    defusedxml, so neither a billion laughs nor an external entity is ever expanded or fetched."""
    import defusedxml
    from openpyxl import load_workbook

    from grantstats.readers.grid import load_grids

    for kind in ("laughs", "external_entity"):
        path = hostile[kind][0]
        with pytest.raises(ReadError, match=rf"^{path.name}: "):
            load_grids(path)
        with pytest.raises(ValueError) as refused:  # openpyxl wraps the parser's refusal
            load_workbook(path)
        assert isinstance(refused.value.__cause__, defusedxml.DefusedXmlException), repr(refused.value.__cause__)
