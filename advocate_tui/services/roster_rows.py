"""A roster's rows as students: one row's fields checked (a line with too few or too many fields, a missing name, an
unusable student number), a student-list export's rows through its columns, and a OneRoster users file with its
roles, schools, homerooms and delta flag."""

from __future__ import annotations

from ..models.errors import CONTROL_MESSAGE
from ..models.text import has_controls
from .roster_fields import GradeError, clean, grade_of, number_from_user_ids, split_list, valid_id
from .roster_formats import ParsedRoster, Rejected, RosterError, RosterRow, Table, _Source, table
from .roster_layouts import Columns


#: OneRoster statuses that take a student off the roster (counted as "marked", and deactivated)
_REMOVED = ("tobedeleted", "inactive")
#: how students of other schools in a district-wide export are counted when ``org`` is given
OTHER_SCHOOL = "student of another school"
_BAD_ID = "not a usable student number (up to 32 characters, no spaces, commas, semicolons or control characters)"


def _record(header: list[str], fields: list[str]) -> dict[str, str]:
    """The row's fields by (folded) header name, trimmed, NFC (:func:`clean`, inlined: 18 fields of
    25,000 rows, bench/)."""
    out = {}
    for name, value in zip(header, fields):
        if name:
            value = value.strip()
            out[name] = value if value.isascii() else clean(value)
    return out


def _width_problem(header: list[str], fields: list[str]) -> str | None:
    if len(fields) > len(header) and any(f.strip() for f in fields[len(header):]):
        return f"{len(fields)} fields but the header has {len(header)} (an unquoted comma?)"
    if len(fields) < len(header):
        return f"{len(fields)} fields but the header has {len(header)} (a cut-off line?)"
    return None


def _student_row(line: int, rec: dict[str, str], local_id: str | None, sourced: str | None,
                 id_field: str) -> RosterRow | str:
    """A RosterRow, or the reason (field name and problem) it can't be used."""
    if not local_id:
        return f"{id_field}: missing"
    if not valid_id(local_id):
        return f"{id_field}: {_BAD_ID}"
    for key, name in (("givenname", "given name"), ("familyname", "family name")):
        value = rec.get(key, "")
        if not value:
            return f"{name}: missing"
        if has_controls(value):
            return f"{name}: {CONTROL_MESSAGE}"
        if len(value) > 100:
            return f"{name}: longer than 100 characters"
    try:
        grade = grade_of(rec.get("grades", rec.get("grade", "")))
    except GradeError as exc:
        return f"grade: {_shown_grade(exc.value, rec)} is not a grade (like 07, KG or 09,10)"
    preferred = rec.get("preferredgivenname") or rec.get("preferredname") or None
    homeroom = rec.get("homeroom") or None
    for value, name in ((preferred, "preferred name"), (homeroom, "homeroom"), (sourced, "sourcedId")):
        if value and has_controls(value):
            return f"{name}: {CONTROL_MESSAGE}"
        if value and len(value) > 200:
            return f"{name}: longer than 200 characters"
    return RosterRow(line=line, local_id=local_id, sourced_id=sourced or None, given_name=rec["givenname"],
                     family_name=rec["familyname"], grade=grade, homeroom=homeroom, preferred_name=preferred)


def _shown_grade(value: str, rec: dict[str, str]) -> str:
    """The bad grade value quoted, unless it could be student data (a name from the row, or long)."""
    names = {rec.get(k, "").casefold() for k in ("givenname", "familyname", "preferredgivenname", "preferredname",
                                                 "middlename", "studentid", "identifier", "username", "email")}
    if not value or len(value) > 12 or value.casefold() in names - {""} or not value.isprintable():
        return "the value"
    return repr(value)


def student_list(label: str, read: Table, columns: Columns) -> ParsedRoster:
    """A simple CSV or a school system's student list: one student a row, in the columns found."""
    simple = columns.layout == "simple CSV" and not columns.mapped
    id_name = "student_id" if simple else columns.column("student_id")
    parsed = ParsedRoster(source=label, kind=columns.layout, rows=len(read.rows), id_name=id_name,
                          columns=[] if simple else columns.shown())
    keys = {"given_name": "givenname", "family_name": "familyname", "grade": "grade", "homeroom": "homeroom",
            "preferred_name": "preferredname"}
    for line, fields in read.rows:
        rec = {keys[f]: clean(fields[i]) if i < len(fields) else "" for f, i in columns.index.items() if f in keys}
        if rec.get("grade") in columns.grades:
            rec["grade"] = columns.grades[rec["grade"]]
        at = columns.index["student_id"]
        local_id = clean(fields[at]) if at < len(fields) else ""
        problem = _width_problem(read.header, fields)
        made = problem or _student_row(line, rec, local_id, None, id_name)
        if isinstance(made, str):
            parsed.rejected.append(Rejected(line, made))
            if local_id:
                parsed.protected.add(local_id)
        else:
            parsed.students.append(made)
    return parsed


def _roles_of(source: _Source, orgs: dict[str, set[str]]) -> dict[str, list[str]] | None:
    """OneRoster 1.2 roles.csv: user sourcedId → active roles, primary first (None without the file).

    ``orgs`` collects, per user, the orgs (schools) of their student roles.
    """
    text = source.text("roles.csv")
    if text is None:
        return None
    header, rows = table(text, "roles.csv")
    if "usersourcedid" not in header or "role" not in header:
        raise RosterError("roles.csv has no userSourcedId and role columns")
    roles: dict[str, list[str]] = {}
    for _, fields in rows:
        rec = _record(header, fields)
        if rec.get("status", "").lower() == "tobedeleted" or not rec.get("usersourcedid"):
            continue
        found = roles.setdefault(rec["usersourcedid"], [])
        role = rec.get("role", "").lower() or "no role"
        found.insert(0, role) if rec.get("roletype", "").lower() == "primary" else found.append(role)
        if role == "student" and rec.get("orgsourcedid"):
            orgs.setdefault(rec["usersourcedid"], set()).add(rec["orgsourcedid"])
    return roles


def _is_delta(source: _Source) -> bool:
    text = source.text("manifest.csv")
    if text is None:
        return False
    header, rows = table(text, "manifest.csv")
    for _, fields in rows:
        rec = _record(header, fields)
        if rec.get("propertyname", "").lower() == "file.users":
            return rec.get("value", "").lower() == "delta"
    return False


def _homerooms(source: _Source) -> dict[str, str]:
    """user sourcedId → homeroom, from classes.csv (classType homeroom) and enrollments.csv, if present."""
    classes_text, enrol_text = source.text("classes.csv"), source.text("enrollments.csv")
    if classes_text is None or enrol_text is None:
        return {}
    header, rows = table(classes_text, "classes.csv")
    rooms = {}
    for _, fields in rows:
        rec = _record(header, fields)
        if rec.get("classtype", "").lower() == "homeroom" and rec.get("status", "").lower() != "tobedeleted":
            rooms[rec.get("sourcedid", "")] = rec.get("classcode") or rec.get("title") or ""
    header, rows = table(enrol_text, "enrollments.csv")
    out = {}
    for _, fields in rows:
        rec = _record(header, fields)
        room = rooms.get(rec.get("classsourcedid", ""))
        if room and rec.get("role", "").lower() == "student" and rec.get("status", "").lower() != "tobedeleted":
            out[rec.get("usersourcedid", "")] = room[:200]
    return out


def _org_ids(rec: dict[str, str], from_roles: set[str]) -> set[str]:
    try:
        listed = {str(o) for o in split_list(rec.get("orgsourcedids", ""))}
    except ValueError:
        listed = set()
    return listed | from_roles | ({rec["primaryorgsourcedid"]} if rec.get("primaryorgsourcedid") else set())


def oneroster_students(source: _Source, label: str, header: list[str], rows: list[tuple[int, list[str]]],
               org: str | None = None) -> ParsedRoster:
    role_orgs: dict[str, set[str]] = {}
    roles = _roles_of(source, role_orgs)
    if roles is None and "role" not in header:
        raise RosterError(f"{label} has no role column and there is no roles.csv beside it (OneRoster 1.2 "
                          "keeps roles in roles.csv: import the whole folder or zip)")
    version = "1.2" if roles is not None else "1.1"
    where = " zip" if source.zip else (" folder" if source.path.is_dir() else "")
    parsed = ParsedRoster(source=label, kind=f"OneRoster {version}{where}", rows=len(rows), delta=_is_delta(source))
    homerooms = _homerooms(source)
    seen: dict[str, int] = {}
    for line, fields in rows:
        rec = _record(header, fields)
        sourced = rec.get("sourcedid", "")
        user_roles = roles.get(sourced, []) if roles is not None else [rec.get("role", "").lower() or "no role"]
        if "student" not in user_roles:
            role = user_roles[0] if user_roles else "no role"
            parsed.skipped_by_role[role] = parsed.skipped_by_role.get(role, 0) + 1
            continue
        if org and org not in _org_ids(rec, role_orgs.get(sourced, set())):
            parsed.skipped_by_role[OTHER_SCHOOL] = parsed.skipped_by_role.get(OTHER_SCHOOL, 0) + 1
            continue
        problem = _width_problem(header, fields)
        status = rec.get("status", "").lower()
        if not problem and status not in ("", "active", "tobedeleted", "inactive"):
            problem = "status: not active or tobedeleted"
        if not problem and not sourced:
            problem = "sourcedId: missing"
        if not problem and sourced in seen:
            problem = f"sourcedId: same as line {seen[sourced]}"
        local_id = rec.get("identifier") or _user_id_number(rec) or (sourced if valid_id(sourced) else None)
        if problem:
            made: RosterRow | str = problem
        elif status in _REMOVED:  # only who it is matters: its names and grade are not used
            made = RosterRow(line=line, local_id=local_id or "", sourced_id=sourced, given_name="", family_name="",
                             delete=status) if local_id and valid_id(local_id) else \
                f"identifier: {_BAD_ID}"
        else:
            rec.setdefault("homeroom", homerooms.get(sourced, ""))
            made = _student_row(line, rec, local_id, sourced, "identifier")
        if isinstance(made, str):
            parsed.rejected.append(Rejected(line, made, "users.csv" if where else ""))
            parsed.protected.update(x for x in (sourced, local_id) if x)
            continue
        seen[sourced] = line
        parsed.students.append(made)
    return parsed


def _user_id_number(rec: dict[str, str]) -> str | None:
    try:
        return number_from_user_ids(rec.get("userids", ""))
    except ValueError:
        return None
