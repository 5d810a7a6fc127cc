"""JSON Schemas of every record, the handoff bundle and the coordinator's reply, the JSON export and report:
the contract for the app's files.

The schemas are generated from the pydantic models in validation mode (they describe what the app
accepts when it reads a file) and written one file each, deterministically (sorted keys, two-space
indent, trailing newline), so a change to a model shows up as a diff in ``schemas/``.

    python -m advocate_tui.schemas [--out DIR]     # or: advocate schemas [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import (
    AuditEntry,
    ExportManifest,
    HandoffBundle,
    ProgramReport,
    PseudonymousStudent,
    ReplyBundle,
    Student,
)
from .models.records import RECORD_TYPES

#: The JSON Schema dialect of every file.
DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Prefix of each schema's ``$id`` (a URN: the schemas are not served from anywhere).
ID_PREFIX = "urn:advocate-tui:schema:"



def schema_name(model: type[BaseModel]) -> str:
    """A record's schema file: its model's name in kebab case ("attendance-follow-up.schema.json")."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", model.__name__).lower() + ".schema.json"


#: File name of each model's schema: the student, every record kind of the registry, then the files'.
SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "student.schema.json": Student,
    **{schema_name(model): model for model in RECORD_TYPES.values()},
    "audit-entry.schema.json": AuditEntry,
    "handoff-bundle.schema.json": HandoffBundle,
    "pseudonymous-student.schema.json": PseudonymousStudent,
    "export-manifest.schema.json": ExportManifest,
    "report.schema.json": ProgramReport,
    "reply-bundle.schema.json": ReplyBundle,
}

DEFAULT_OUT = Path("schemas")


def schema_file_of(model: type[BaseModel]) -> str:
    """The name of ``model``'s schema file in ``schemas/`` (LookupError when it has none)."""
    for name, cls in SCHEMA_FILES.items():
        if cls is model:
            return name
    raise LookupError(f"{model.__name__} has no schema in schemas/ (add it to SCHEMA_FILES)")


def schema_of(model: type[BaseModel], filename: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``model``, with ``$schema`` and ``$id``."""
    body = model.model_json_schema(mode="validation")
    return {"$schema": DIALECT, "$id": ID_PREFIX + filename, **body}


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema, keyed by its file name."""
    return {name: schema_of(model, name) for name, model in SCHEMA_FILES.items()}


def render(schema: dict[str, Any]) -> str:
    """A schema as the exact text written to its file."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out_dir: str | Path = DEFAULT_OUT) -> list[Path]:
    """Write every schema into ``out_dir`` (created if missing); return the files, in a fixed order.

    A file whose content is already right is left untouched.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = out / name
        text = render(schema)
        if not (path.is_file() and path.read_text(encoding="utf-8") == text):
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m advocate_tui.schemas [--out DIR]``: write the schemas, print each file."""
    parser = argparse.ArgumentParser(
        prog="python -m advocate_tui.schemas",
        description="Write the JSON Schemas of every record, the handoff bundle, the JSON export and report.",
    )
    parser.add_argument("--out", metavar="DIR", default=str(DEFAULT_OUT),
                        help="folder to write to (default: ./schemas)")
    args = parser.parse_args(argv)
    try:
        paths = write_schemas(args.out)
    except OSError as exc:
        print(f"error: cannot write schemas to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
