"""Reading roster files: OneRoster 1.1 ``users.csv``, a OneRoster 1.2 bundle (folder or zip, roles in
``roles.csv``), the simple ``student_id,given_name,family_name,grade[,homeroom][,preferred_name]`` CSV
and the student-list exports of school information systems (:mod:`.roster_layouts`).

Real exports are messy, so this reader takes a BOM, CRLF or CR line ends, quoted fields with commas and
line breaks, commas, tabs, semicolons or pipes between fields (:func:`sniff_delimiter`), names in any
script (normalised to NFC), grades as ``07``, ``"09,10"`` or a JSON list, ``userIds`` as ``{SIS:123}``
pairs or a JSON list, missing optional columns, UTF-16 (with or without a BOM) and Windows-1252 (the
bytes are not UTF-8 but are Windows-1252 text: read so, and the summary says so).
Anything it cannot read at all raises :class:`RosterError` (one line, no student data); a row it
cannot use becomes a :class:`Rejected` (line number and field name, never the value).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


#: Most read from one zip member, and from all members of one zip together, in bytes. A zip is read
#: streaming and refused past these: a small zip can inflate to gigabytes (a "zip bomb"), and parsing
#: takes about 20 times the text's size in memory. One school's users.csv is a few MiB.
MAX_ZIP_MEMBER = 64 * 1024 * 1024
#: Largest roster file (or folder member) read, in bytes: far above any school's roster (~400,000
#: students), and as a zip member's for the same reason (a 200 MB district export took ~4 GiB and
#: 100 s before running out of memory).
MAX_BYTES = MAX_ZIP_MEMBER
MAX_ZIP_TOTAL = 128 * 1024 * 1024
#: characters read to decide whether a file is text at all
_SAMPLE = 8192
#: Unicode categories that don't occur in a roster: controls, surrogates, private use, unassigned
_NOT_TEXT = frozenset({"Cc", "Cs", "Co", "Cn"})
#: field separators a roster export uses, and how the summary names them
DELIMITERS = {",": "comma-separated", "\t": "tab-separated", ";": "semicolon-separated", "|": "pipe-separated"}
#: how the summary names an encoding (a codec's canonical name → its usual name)
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
                   "utf-16-be": "UTF-16", "cp1252": "Windows-1252", "latin-1": "ISO-8859-1",
                   "iso8859-15": "ISO-8859-15", "mac-roman": "Mac Roman", "cp437": "code page 437",
                   "cp850": "code page 850"}
#: a valid UTF-8 sequence of two to four bytes: in a file that is not UTF-8, a sign of mixed encodings
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
                            rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf4][\x80-\xbf]{3}")


class RosterError(Exception):
    """A roster that cannot be read at all; str() is one clear line without student data."""


@dataclass(frozen=True)
class Rejected:
    """A row that was not imported: where it is and why (a field name, never its value)."""

    line: int
    reason: str
    file: str = ""

    def __str__(self) -> str:
        return f"{self.file + ' ' if self.file else ''}line {self.line}: {self.reason}"


@dataclass
class RosterRow:
    """One student row, ready for the store (``delete``: a OneRoster status that removes the student)."""

    line: int
    local_id: str
    sourced_id: str | None
    given_name: str
    family_name: str
    grade: str | None = None
    homeroom: str | None = None
    preferred_name: str | None = None
    delete: str = ""


@dataclass
class ParsedRoster:
    """Everything read from a roster source, before anything touches the database."""

    source: str
    kind: str
    students: list[RosterRow] = field(default_factory=list)
    skipped_by_role: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    #: ids (student numbers or sourced ids) seen on rejected rows: never deactivated for being "missing"
    protected: set[str] = field(default_factory=set)
    #: the bundle's manifest says the users file is a delta (so nobody is "missing")
    delta: bool = False
    rows: int = 0
    #: how the file was read, for the summary: a separator other than a comma, an encoding other than UTF-8
    details: list[str] = field(default_factory=list)
    #: a student list's (column as the file writes it, field) pairs, for the summary
    columns: list[tuple[str, str]] = field(default_factory=list)
    #: what a rejected row calls the student number
    id_name: str = "identifier"


# ---------------------------------------------------------------- bytes to text


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a roster file and the name of its encoding ("UTF-8", "UTF-16", "Windows-1252"…).

    UTF-8 (BOM or not) and UTF-16 are found by their bytes; bytes that are not UTF-8 are read as
    Windows-1252 when they decode as it (what Excel and many school systems write on Windows). A file
    that mixes UTF-8 with another encoding, or is neither, is refused unless ``encoding`` names it.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise RosterError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise RosterError(f"{name} is not {encoding} text (line {_line_at(data, exc.start)})") from None
        return _text_or_binary(text.lstrip("\ufeff"), name), encoding_name(encoding)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_strict(data, "utf-16", name), "UTF-16"
    if data.startswith(codecs.BOM_UTF8):
        return _decode_strict(data[3:], "utf-8", name), "UTF-8"
    sample = data[:4096]
    if b"\x00" in sample:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return _decode_strict(data, "utf-16-le", name), "UTF-16"
        if even > len(sample) // 4 and odd == 0:
            return _decode_strict(data, "utf-16-be", name), "UTF-16"
        raise _binary(name)
    try:
        return _text_or_binary(data.decode("utf-8"), name), "UTF-8"
    except UnicodeDecodeError as exc:
        if _binary_bytes(data):
            raise _binary(name) from None
        where = f"byte 0x{data[exc.start]:02X} on line {_line_at(data, exc.start)}"
        if _UTF8_SEQUENCE.search(data):
            raise RosterError(
                f"{name} mixes UTF-8 with another encoding ({where} is not UTF-8, but other lines are): save it "
                "again as 'CSV UTF-8' (or, if it really is Windows-1252 text, import it with --encoding cp1252)"
            ) from None
    try:
        return _text_or_binary(data.decode("cp1252"), name), "Windows-1252"
    except UnicodeDecodeError:
        raise RosterError(f"{name} is neither UTF-8 nor Windows-1252 text ({where}): save it as 'CSV UTF-8', "
                          "or name its encoding with --encoding") from None


def encoding_name(encoding: str) -> str:
    """How the summary names an encoding given with ``--encoding`` ("cp1252" → "Windows-1252")."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return _ENCODING_NAMES.get(codec, codec)


def _decode_strict(data: bytes, codec: str, name: str) -> str:
    try:
        return _text_or_binary(data.decode(codec).lstrip("\ufeff"), name)
    except UnicodeDecodeError:
        if codec.startswith("utf-16") or _binary_bytes(data):  # random bytes after a BOM: binary, not "bad UTF"
            raise _binary(name) from None
        raise RosterError(f"{name} looks like {codec.upper()} but does not decode as it; save it as CSV UTF-8") from None


def looks_binary(text: str) -> bool:
    """True when more than 1% of the first characters are control, private-use or unassigned ones.

    A real roster (any script, tabs, CRLF, a stray form feed) has none or almost none; random bytes,
    a picture or a database file decoded as text have many.
    """
    sample = text[:_SAMPLE]
    odd = sum(1 for c in sample if c not in "\t\n\r\f" and unicodedata.category(c) in _NOT_TEXT)
    return odd * 100 > len(sample)


def _binary_bytes(data: bytes) -> bool:
    """Bytes that are not UTF-8: binary when control bytes abound or no line ends (LF, or CR as PowerSchool
    writes them) in the first 8 KiB."""
    sample = data[:_SAMPLE]
    return (b"\n" not in sample and b"\r" not in sample) or looks_binary(sample.decode("cp1252", errors="replace"))


def _binary(name: str) -> RosterError:
    return RosterError(f"{name} is not a CSV roster (binary data; if it is a spreadsheet, save it as CSV UTF-8)")


def _text_or_binary(text: str, name: str) -> str:
    if looks_binary(text):
        raise _binary(name)
    return text


def _line_at(data: bytes, offset: int) -> int:
    """The line of a byte offset (lines end in LF, or in CR alone when the file has no LF)."""
    return data[:offset].count(b"\n" if b"\n" in data else b"\r") + 1


# ---------------------------------------------------------------- where the files are


class _Source:
    """A roster file, a OneRoster folder or a OneRoster zip: named CSV members read as text."""

    def __init__(self, path: Path, encoding: str | None):
        self.path, self.encoding = path, encoding
        self.members: dict[str, str] = {}  # lower-case base name -> member path (zip) or file path
        self.zip: zipfile.ZipFile | None = None
        self.inflated = 0  # bytes read from the zip so far (capped at MAX_ZIP_TOTAL)
        self.encodings: dict[str, str] = {}  # member read -> the name of its encoding
        if path.is_dir():
            for child in path.iterdir():
                if child.is_file() and child.suffix.lower() == ".csv":
                    self.members[child.name.lower()] = str(child)
            if "users.csv" not in self.members:
                raise RosterError(f"{path} is a folder without users.csv (a OneRoster bundle has one)")
        elif path.is_file() and zipfile.is_zipfile(path):  # (a pipe or a device is no zip: never seeked)
            try:
                self.zip = zipfile.ZipFile(path)
                names = [i for i in self.zip.infolist() if not i.is_dir()]
            except (zipfile.BadZipFile, OSError) as exc:
                raise RosterError(f"{path} is a damaged zip ({exc})") from None
            users = [i for i in names if PurePosixPath(i.filename).name.lower() == "users.csv"]
            if not users:
                hint = " (it looks like an Excel workbook: save it as CSV)" if any(
                    i.filename.startswith("xl/") for i in names) else ""
                raise RosterError(f"{path} is a zip without users.csv{hint}")
            folder = PurePosixPath(users[0].filename).parent
            for info in names:
                if PurePosixPath(info.filename).parent == folder:
                    self.members[PurePosixPath(info.filename).name.lower()] = info.filename
        else:
            self.members["users.csv"] = str(path)
            for sibling in ("roles.csv", "manifest.csv", "classes.csv", "enrollments.csv"):
                beside = path.with_name(sibling)
                if path.name.lower() == "users.csv" and beside.is_file():
                    self.members[sibling] = str(beside)

    def text(self, member: str) -> str | None:
        where = self.members.get(member)
        if where is None:
            return None
        label = f"{self.path.name}:{member}" if self.zip or self.path.is_dir() else str(self.path)
        if self.zip is not None:
            data = self._unzip(where, label)
        else:
            try:
                size = Path(where).stat().st_size
                if size > MAX_BYTES:
                    raise RosterError(f"{label} is too large for a roster ({size // 2**20} MiB)")
                with open(where, "rb") as fh:  # (a pipe or /dev/zero has no size: read no more than a roster)
                    data = fh.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise RosterError(f"{label} is too large for a roster (over {MAX_BYTES // 2**20} MiB)")
            except OSError as exc:
                raise RosterError(f"cannot read {label}: {exc.strerror or exc}") from None
        text, self.encodings[member] = decode(data, label, self.encoding)
        return text

    def _unzip(self, where: str, label: str) -> bytes:
        """A zip member's bytes, read streaming and refused past :data:`MAX_ZIP_MEMBER` (or past
        :data:`MAX_ZIP_TOTAL` for the zip's members together), whatever sizes the zip claims."""
        total_left = MAX_ZIP_TOTAL - self.inflated
        limit = min(MAX_ZIP_MEMBER, total_left)
        try:
            with self.zip.open(where) as fh:  # type: ignore[union-attr]
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
            raise RosterError(f"{label} cannot be read from the zip ({exc})") from None
        if len(data) > limit:
            if limit == MAX_ZIP_MEMBER:
                raise RosterError(f"{label} inflates to more than {MAX_ZIP_MEMBER // 2**20} MiB, the most read "
                                  "from one zip member; nothing was imported (unzip it and import the folder)")
            raise RosterError(f"{self.path.name}: its files inflate to more than {MAX_ZIP_TOTAL // 2**20} MiB "
                              "together, the most read from one zip; nothing was imported "
                              "(unzip it and import the folder)")
        self.inflated += len(data)
        return data


@dataclass
class Table:
    """A CSV file read: its header (as written, and folded), its rows and the separator found."""

    names: list[str]
    header: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str = ","


#: the most of a file csv.Sniffer looks at (its regular expressions are slow on long text)
_SNIFF_CHARS = 4096
_LINE_END = re.compile(r"\r\n|\r|\n")


def sniff_delimiter(text: str) -> str:
    """The field separator of a CSV text: comma, tab, semicolon or pipe.

    :class:`csv.Sniffer` looks at the first lines (it weighs how often each separator appears on every
    line, and quotes); when it finds none, or one the header line doesn't hold, the separator the header
    line holds most of is taken (a comma when it holds none).
    """
    lines = [line for line in _LINE_END.split(text[:_SNIFF_CHARS]) if line.strip()]
    if not lines:
        return ","
    header = lines[0]
    if len(lines) > 1 and len(text) > _SNIFF_CHARS:
        lines = lines[:-1]  # the last line of the sample may be cut short
    try:
        found = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        found = ""
    if found in DELIMITERS and found in header:
        return found
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])  # the first of equals: comma, tab, semicolon, pipe
    return best if counts[best] else ","


def read_table(text: str, label: str) -> Table:
    """The header and the (first line number, fields) of each non-blank row, separator detected."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    names: list[str] | None = None
    start = 1
    try:
        for fields in reader:
            if names is None:
                if not any(f.strip().lstrip("\ufeff") for f in fields):
                    continue  # blank lines before the header
                names = [f.strip().lstrip("\ufeff") for f in fields]
            elif any(f.strip() for f in fields):
                rows.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RosterError(f"{label} line {start}: not readable as CSV ({exc})") from None
    if names is None:
        raise RosterError(f"{label} is empty")
    return Table(names=names, header=[fold(h) for h in names], rows=rows, delimiter=delimiter)


def table(text: str, label: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (folded names) and (first line number, fields) per non-blank row."""
    read = read_table(text, label)
    return read.header, read.rows


def fold(name: str) -> str:
    """A header name folded: 'Student ID' and 'student_id' and 'sourcedId' compare as 'studentid'…"""
    return re.sub(r"[^a-z0-9]", "", name.strip().lstrip("\ufeff").lower())


# ---------------------------------------------------------------- field parsers
