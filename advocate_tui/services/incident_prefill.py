"""What the incident form starts with when a door exception or a patrol checkpoint's issue becomes an incident: where
(the profile location the door or checkpoint is in), when, and what was found."""

from __future__ import annotations

import re
from typing import Any

import pendulum

from ..models import CheckpointVisit, DoorCheck, PatrolRound
from ..profile import SchoolProfile


def door_incident_prefill(check: DoorCheck, profile: SchoolProfile | None = None) -> dict[str, Any]:
    """IncidentForm(prefill=...) values for a door exception: where (the profile location the door is
    in), when (the check's time, school time) and what (the door, what it was found in, the note)."""
    locations = list(profile.locations) if profile else []
    when = pendulum.instance(check.checked_at).format("YYYY-MM-DD HH:mm")
    description = f"{check.door} door found {check.status.label.lower()}: {check.note}"
    return {"location": location_for(check.door, locations), "when": when, "description": description}


# ------------------------------------------------------------------ checkpoint → incident
_SMALL_WORDS = {"and", "the", "by", "of", "near", "at", "to", "room"}


def _words(text: str) -> list[str]:
    words = [w for w in re.split(r"[\s/,\-–()]+", text.casefold()) if w]
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def location_for(checkpoint: str, locations: list[str]) -> str:
    """The profile location a checkpoint is in: the same name, else the best word match
    ("North stairwell" → "Stairwell", "Locker rooms" → "Locker room", "Science hall" → "Hallway"),
    else the checkpoint's own name."""
    key = checkpoint.strip().casefold()
    for loc in locations:
        if loc.casefold() == key:
            return loc
    cp_words = [w for w in _words(checkpoint) if len(w) >= 3 and not w.isdigit()]
    best, best_score = checkpoint.strip(), 0.0
    for loc in locations:
        loc_words = _words(loc)
        hits = sum(1 for lw in loc_words if any(
            lw == w or (lw.startswith(w) and len(w) >= 4) for w in cp_words if w not in _SMALL_WORDS or lw == w))
        score = hits / len(loc_words) if loc_words else 0
        if score > best_score:
            best, best_score = loc, score
    return best


def checkpoint_incident_prefill(rnd: PatrolRound, visit: CheckpointVisit,
                                profile: SchoolProfile | None = None) -> dict[str, Any]:
    """IncidentForm(prefill=...) values for an issue at a checkpoint: where, when and what.

    Keys are the incident form's fields: ``location`` (the profile location the checkpoint is in),
    ``when`` (the time it was reached, school time) and ``description`` (the note, naming the
    checkpoint unless it is itself a profile location). A checkpoint in none of the profile's
    locations gives its own name as ``location``; a form that only takes profile locations
    leaves the field for the user to pick, and the note still names the place.
    """
    locations = list(profile.locations) if profile else []
    location = location_for(visit.checkpoint, locations)
    when = pendulum.instance(visit.reached_at).format("YYYY-MM-DD HH:mm")
    description = visit.note
    if location not in locations or location.casefold() != visit.checkpoint.casefold():
        description = f"{visit.checkpoint} ({rnd.zone} patrol): {visit.note}"
    return {"location": location, "when": when, "description": description}
