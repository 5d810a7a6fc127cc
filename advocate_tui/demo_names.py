"""The demo school's fictional roster (:func:`make_roster`) and the name and phrase pools behind it.

Given and family names are drawn from many cultures and are combined at random, so every student in
the demo is invented. Most names are in Latin script (many with accents: Zoë, José, Nguyễn, Łukasz,
Søren); a few are in Cyrillic, Greek, Hangul and CJK scripts, each with a romanised preferred name so
the advocate can still find them by typing a few letters. Right-to-left scripts are left out: a
terminal can't be trusted to lay them out in a table.

The phrases at the end are the one-line notes the demo's records carry (see :mod:`advocate_tui.demo`);
none names a student.
"""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

from .models import ContactKind, ReferralPurpose, Student

GRADES = ("09", "10", "11", "12")
#: homerooms H-101..H-112 and H-201..H-212, six per grade
ROOMS = tuple(f"H-{floor}{n:02d}" for floor in (1, 2) for n in range(1, 13))

#: culture -> (given names, family names). Weights in :data:`CULTURE_WEIGHTS`.
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        ("Emma", "Olivia", "Ava", "Abigail", "Madison", "Chloe", "Hannah", "Grace", "Ethan", "Logan",
         "Caleb", "Wyatt", "Owen", "Jackson", "Mason", "Tyler", "Brooke", "Riley", "Katherine",
         "Elizabeth", "Benjamin", "Jonathan", "Alexander", "Nicholas", "Zoë", "Chloë"),
        ("Smith", "Johnson", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thompson", "Walker",
         "Harris", "Clark", "Lewis", "Robinson", "Young", "Allen", "Wright", "Hughes", "Fletcher",
         "Whitaker", "Ellison", "Brennan", "Sullivan", "O'Connor", "McAllister"),
    ),
    "latino": (
        ("José", "María", "Sofía", "Valentina", "Camila", "Ximena", "Guadalupe", "Alejandro",
         "Santiago", "Mateo", "Diego", "Jesús", "Andrés", "Lucía", "Daniela", "Mariana", "Nicolás",
         "Francisco", "Iván", "Renata", "Joaquín", "Inés", "Ángel", "Marisol", "Araceli"),
        ("García", "Hernández", "López", "Martínez", "Rodríguez", "González", "Pérez", "Sánchez",
         "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Morales", "Ortiz", "Gutiérrez",
         "Chávez", "Ramos", "Castillo", "Jiménez", "Vargas", "Peña", "Muñoz", "Delgado", "Ibáñez"),
    ),
    "african_american": (
        ("Jaylen", "Aaliyah", "Imani", "Malik", "Jada", "DeShawn", "Kiara", "Tariq", "Nia", "Darnell",
         "Jazmine", "Terrence", "Amani", "Keisha", "Marquise", "Destiny", "Xavier", "Laila"),
        ("Washington", "Jefferson", "Banks", "Freeman", "Coleman", "Jenkins", "Simmons", "Bryant",
         "Mayfield", "Gaines", "Holloway", "Pettaway", "Rucker", "Sims"),
    ),
    "vietnamese": (
        ("Minh Anh", "Thảo", "Linh", "Huy", "Khánh", "Phương", "Tuấn", "Bảo", "Ngọc", "Quang",
         "Hương", "Đức", "Trâm", "Vy", "Long"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh", "Phan", "Vũ"),
    ),
    "chinese": (
        ("Wei", "Jing", "Xiaoming", "Yuxuan", "Zihan", "Mei", "Hao", "Lian", "Ruoxi", "Jiahui", "Tian",
         "Chen", "Yiming", "Shu"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Lin"),
    ),
    "korean": (
        ("Ji-woo", "Seo-yeon", "Min-jun", "Ha-eun", "Do-yun", "Ye-jin", "Jae-won", "Su-bin", "Hyun-woo"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Han"),
    ),
    "south_asian": (
        ("Priya", "Aarav", "Ananya", "Rohan", "Diya", "Arjun", "Ishaan", "Kavya", "Siddharth",
         "Meera", "Aditi", "Vikram", "Harpreet", "Gurleen", "Nikhil", "Sanjana", "Farhan", "Nusrat"),
        ("Patel", "Sharma", "Singh", "Reddy", "Iyer", "Nair", "Gupta", "Desai", "Chaudhary", "Banerjee",
         "Krishnan", "Mehta", "Rahman", "Siddiqui", "Gill", "Venkataraman"),
    ),
    "arab": (
        ("Omar", "Layla", "Yusuf", "Amira", "Khalid", "Noor", "Zainab", "Hamza", "Rania", "Ibrahim",
         "Salma", "Muhammad", "Yasmin", "Karim"),
        ("Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Abboud", "Al-Amin", "Farouk", "Hassan",
         "Shalabi", "Darwish"),
    ),
    "west_african": (
        ("Chidi", "Ngozi", "Oluwaseun", "Adaeze", "Kwame", "Ama", "Emeka", "Folake", "Kofi", "Yetunde",
         "Chinonso", "Abena", "Tobi", "Ifeoma"),
        ("Okafor", "Adeyemi", "Mensah", "Okonkwo", "Boateng", "Eze", "Adebayo", "Asante", "Nwosu",
         "Danquah", "Ogunleye"),
    ),
    "east_african": (
        ("Abdi", "Hodan", "Ayaan", "Fartun", "Mohamed", "Ifrah", "Dawit", "Selam", "Hanna", "Biniam",
         "Liya", "Yonas"),
        ("Warsame", "Farah", "Hussein", "Abdullahi", "Tesfaye", "Bekele", "Haile", "Gebremedhin",
         "Osman", "Ali"),
    ),
    "slavic": (
        ("Łukasz", "Zofia", "Katarzyna", "Mateusz", "Anastasia", "Dmitri", "Oksana", "Bohdan",
         "Milena", "Jakub", "Tereza", "Aleksandr", "Ivana", "Marek"),
        ("Kowalski", "Nowak", "Wiśniewska", "Wójcik", "Kovalenko", "Shevchenko", "Novák", "Dvořák",
         "Horvat", "Petrović", "Ivanova", "Sokolov", "Zieliński"),
    ),
    "nordic_german": (
        ("Søren", "Astrid", "Ingrid", "Lars", "Freya", "Björn", "Elin", "Jonas", "Lena", "Matthias",
         "Greta", "Anneliese"),
        ("Lindqvist", "Johansson", "Åberg", "Sørensen", "Müller", "Schäfer", "Becker", "Hoffmann",
         "Østergaard", "Nyström", "Weiß"),
    ),
    "french_italian_greek": (
        ("Chloé", "Léa", "Amélie", "Hélène", "Gaël", "Noël", "Théo", "Giulia", "Francesca", "Luca",
         "Matteo", "Niccolò", "Eleni", "Dimitrios", "Penelope"),
        ("Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine", "Rossi", "Bianchi", "Esposito",
         "Romano", "De Luca", "Papadopoulos", "Nikolaidis", "Georgiou"),
    ),
    "filipino": (
        ("Angelica", "Paolo", "Kristine", "Marvin", "Jericho", "Bea", "Rafael", "Carmela", "Joshua",
         "Lorraine"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Villanueva", "Dela Cruz", "Mendoza", "Aquino",
         "Manalo", "Pangilinan"),
    ),
    "japanese": (
        ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Kaito", "Sakura", "Riku", "Mio"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Ōta"),
    ),
    "indigenous_pacific": (
        ("Kaimana", "Leilani", "Keoni", "Malia", "Ahanu", "Winona", "Tala", "Koa", "Sefa", "Mele"),
        ("Kahananui", "Nakoa", "Tsosie", "Begay", "Yazzie", "Runningwater", "Tuilagi", "Fonoti",
         "Kealoha"),
    ),
    "irish_scottish_welsh": (
        ("Siobhán", "Niamh", "Aoife", "Seán", "Eoin", "Ciarán", "Caoimhe", "Rhys", "Ffion", "Iona",
         "Callum", "Eilidh"),
        ("Ó Briain", "Ní Dhonnchadha", "MacLeod", "Murphy", "Byrne", "Gallagher", "Llewellyn",
         "Pritchard", "Fraser", "Kerr"),
    ),
    "turkish_persian": (
        ("Elif", "Emre", "Zeynep", "Arda", "Çağla", "Barış", "Darius", "Shirin", "Parisa", "Kian",
         "Navid", "Yasaman"),
        ("Yılmaz", "Öztürk", "Şahin", "Demir", "Çelik", "Aydın", "Tehrani", "Rostami", "Karimi",
         "Ahmadi", "Moradi"),
    ),
}

#: How often each culture is drawn (a diverse urban US high school, roughly).
CULTURE_WEIGHTS: dict[str, int] = {
    "anglo": 20, "latino": 22, "african_american": 12, "vietnamese": 5, "chinese": 4, "korean": 3,
    "south_asian": 6, "arab": 4, "west_african": 4, "east_african": 4, "slavic": 4, "nordic_german": 3,
    "french_italian_greek": 3, "filipino": 3, "japanese": 2, "indigenous_pacific": 2,
    "irish_scottish_welsh": 2, "turkish_persian": 3,
}

#: Students whose names the roster gives in their own script: (given, family, preferred name).
OTHER_SCRIPTS: tuple[tuple[str, str, str], ...] = (
    ("Дарья", "Соколова", "Dasha"),
    ("Алексей", "Волков", "Alex"),
    ("Олена", "Бондаренко", "Olena"),
    ("Γιάννης", "Παπαδάκης", "Yannis"),
    ("Σοφία", "Κωνσταντίνου", "Sofia"),
    ("서연", "김", "Seoyeon"),
    ("민준", "박", "Minjun"),
    ("美玲", "陈", "Meiling"),
    ("子涵", "王", "Zihan"),
    ("さくら", "山田", "Sakura"),
)

#: Given name -> the name the student goes by (applied to some students, not all).
NICKNAMES: dict[str, str] = {
    "Alejandro": "Alex", "Alexander": "Xander", "Elizabeth": "Liz", "Katherine": "Kate",
    "Benjamin": "Ben", "Jonathan": "Jon", "Nicholas": "Nick", "Nicolás": "Nico", "Francisco": "Paco",
    "Guadalupe": "Lupe", "Oluwaseun": "Seun", "Muhammad": "Mo", "Siddharth": "Sid",
    "Anastasia": "Nastya", "Xiaoming": "Sam", "Aleksandr": "Sasha", "Chinonso": "Nonso",
    "Dimitrios": "Jimmy", "Ifeoma": "Ify", "Yetunde": "Tunde", "Jericho": "Jek", "Matthias": "Matt",
    "Niccolò": "Nico", "Santiago": "Santi", "Valentina": "Vale", "Caoimhe": "Keeva",
}

#: Names given to two students each on purpose (told apart by grade and homeroom), and a few more.
ANCHORS: tuple[tuple[str, str], ...] = (
    ("José", "Hernández"), ("José", "Hernández"), ("Minh Anh", "Nguyễn"), ("Minh Anh", "Nguyễn"),
    ("Aaliyah", "Johnson"), ("Aaliyah", "Johnson"), ("Zoë", "Lindqvist"), ("Trâm", "Nguyễn"),
    ("Sofía", "Ramírez"), ("Sofía", "Ramírez"),
)

#: Chosen names some students go by that are not a short form of their given name.
CHOSEN_NAMES: tuple[str, ...] = ("River", "Sky", "Jules", "Rowan", "Kai", "Ash", "Max", "Sam", "Noa", "Remy")


def make_roster(rng: random.Random, count: int = 600, grades: tuple[str, ...] = GRADES) -> list[Student]:
    """``count`` fictional students S10001..., grades 09–12, homerooms H-101..., names from many cultures.

    Other ``grades`` (a UK school's Years "07"–"13") get form groups instead of homerooms ("9B")."""
    cultures = list(CULTURES)
    weights = [CULTURE_WEIGHTS.get(c, 1) for c in cultures]
    scripts = list(OTHER_SCRIPTS)

    def family_from(culture: str) -> str:
        return rng.choice(CULTURES[culture][1])

    people = []
    for i in range(count):
        grade = rng.choices(grades, (28, 25, 24, 23) if len(grades) == 4 else None)[0]
        preferred = None
        if scripts and rng.random() < 0.02:
            given, family, preferred = scripts.pop(0)
        else:
            culture = rng.choices(cultures, weights)[0]
            given = rng.choice(CULTURES[culture][0])
            family = family_from(culture if rng.random() > 0.12 else rng.choices(cultures, weights)[0])
            if rng.random() < 0.04:
                second = family_from(rng.choices(cultures, weights)[0])
                family = family if second == family else f"{family}-{second}"
            if given in NICKNAMES and rng.random() < 0.4:
                preferred = NICKNAMES[given]
            elif rng.random() < 0.015:
                preferred = rng.choice(CHOSEN_NAMES)
        people.append(Student(local_id=f"S{10001 + i}", given_name=given, family_name=family,
                              preferred_name=preferred, grade=grade, homeroom=_homeroom(rng, grade, grades)))
    # Namesakes on purpose: consecutive anchors share a name, each in another grade.
    slots = rng.sample(range(count), min(count, len(ANCHORS)))
    for k, (slot, (given, family)) in enumerate(zip(slots, ANCHORS)):
        people[slot] = people[slot].model_copy(update={"given_name": given, "family_name": family,
                                                       "preferred_name": None, "grade": grades[k % len(grades)]})
    # Namesakes by chance go to different grades where possible, so grade and homeroom tell them apart.
    grades_of: dict[tuple[str, str], set[str]] = {}
    for i, s in enumerate(people):
        taken = grades_of.setdefault((s.given_name, s.family_name), set())
        grade = s.grade if s.grade not in taken else next((g for g in grades if g not in taken), s.grade)
        taken.add(grade)
        if grade != s.grade or i in slots:
            people[i] = s.model_copy(update={"grade": grade, "homeroom": _homeroom(rng, grade, grades)})
    return people


def _homeroom(rng: random.Random, grade: str, grades: tuple[str, ...] = GRADES) -> str:
    if grades != GRADES:  # a UK school's form group: the Year and a letter
        return f"{int(grade)}{rng.choice('ABCDE')}"
    per = len(ROOMS) // len(GRADES)
    g = GRADES.index(grade)
    return rng.choice(ROOMS[g * per:(g + 1) * per])


# --- phrases for the demo's records (no student names in any of them) ---------------------------

#: behavior keyword (matched in the profile's behavior name, lower case) -> incident descriptions
INCIDENT_NOTES: dict[str, tuple[str, ...]] = {
    "defiance": ("Refused to put phone away after two prompts.",
                 "Would not move seats when asked; left the room.",
                 "Refused to hand in pass; argued with teacher at the door."),
    "disrespect": ("Talked back to sub during attendance.",
                   "Eye-rolling and sarcasm escalated to name-calling toward staff."),
    "disruption": ("Repeated shouting across the room during a test.",
                   "Banging on desks; class stopped for five minutes.",
                   "Group blocking the hallway during passing time."),
    "language": ("Profanity directed at a peer in line.", "Loud swearing in the hallway after a disagreement."),
    "physical contact": ("Horseplay that ended with a peer knocked into lockers.", "Pushing in the lunch line."),
    "property": ("Wrote on desk with marker.", "Took a peer's calculator without asking."),
    "technology": ("Recording others on phone during class.", "On a game site during a test after a warning."),
    "tardy": ("Third tardy this week; says bus was late.", "Arrived 15 minutes late without a pass."),
    "dress": ("Hood up after two reminders.", "Dress code reminder; changed into spare shirt from the office."),
    "skipping": ("Found in the stairwell during class; no pass.",
                 "Left campus at lunch and came back during last period."),
    "aggression": ("Shoved a peer after an argument carried over from social media.",
                   "Threw a water bottle at a peer."),
    "fighting": ("Mutual fight by the lockers; separated by staff within a minute.",
                 "Fight after a dispute that started online; both students sent to the office."),
    "harassment": ("Repeated comments about a peer's appearance; peer reported feeling unsafe.",
                   "Group chat messages targeting a peer, shown to staff by the peer."),
    "vandalism": ("Graffiti in the restroom stall.", "Broke a soap dispenser in the restroom."),
    "vap": ("Vape found during restroom check.", "Smell of vape in restroom; device handed over."),
}

GENERIC_INCIDENT_NOTES = ("Staff reported the behavior; student talked with the advocate.",
                          "Handled on the spot; follow-up check-in planned.")

#: contact kind -> notes
CONTACT_NOTES: dict[str, tuple[str, ...]] = {
    "check_in": ("Morning check-in; says the week is going better.",
                 "Quick check-in between classes; calm, on track.",
                 "Check-in on the goals sheet; two of three met.",
                 "Came by the desk to talk; will check in again Friday."),
    "restorative_conversation": ("Talked through what happened and who was affected; agreed to apologise.",
                                 "Restorative questions after the hallway incident; wants a mediation.",
                                 "Reflected on the harm done to the class; will help reset the room."),
    "mediation": ("Mediation held; both agreed to keep it offline and to check in next week.",
                  "Short mediation in the library; agreement written down."),
    "coaching_warning": ("Reminder about phones in class; understood the next step.",
                         "Coaching on asking for a break instead of walking out."),
    "caregiver_call": ("Called caregiver; shared the plan and they will follow up at home.",
                       "Left a voicemail for caregiver; will try again tomorrow.",
                       "Caregiver called back; agrees to a meeting next week."),
    "sel_support": ("Used the calm corner for ten minutes, then back to class.",
                    "Breathing exercise and a plan for the test tomorrow."),
    "service_referral": ("Student asked for help with food at home; connecting with the social worker.",
                         "Talked about sleep and stress; counselor referral made."),
}

ATTENDANCE_NOTES = ("Left voicemail for caregiver.", "Texted caregiver through the school app.", "", "",
                    "Student says they overslept.", "Sibling says student is sick.")
ATTENDANCE_CAUSES = ("Bus was late (route 12).", "Caring for a younger sibling in the mornings.",
                     "Illness, note brought in.", "Avoiding a class after a conflict with a peer.",
                     "Job schedule ran late.", "Family emergency; excused by caregiver.",
                     "Overslept; set up a wake-up plan.")

#: how an incident's or contact note's follow-up ended (done, or dismissed with the reason)
FOLLOW_UP_OUTCOMES = ("Checked in; things are calmer.", "Restorative conversation held; apology made.",
                      "Caregiver called back; plan agreed.", "Met with both students; agreed to keep apart.",
                      "Teacher reports no further trouble.", "Student on track; weekly check-ins go on.")
FOLLOW_UP_DISMISSALS = ("Student moved to another school.", "Handled by the counselor instead.",
                        "Caregiver asked us not to follow up.")

#: referral purpose -> reasons
REFERRAL_REASONS: dict[str, tuple[str, ...]] = {
    "circle": ("Harm to the class community; a circle to repair it.", "Ongoing friction in a friend group."),
    "conference": ("Repair harm after the incident; caregivers want to take part.",
                   "Restorative conference before the student returns to the class."),
    "mediation": ("Conflict between two students that keeps coming back.", "Dispute that started online."),
    "reentry_meeting": ("Returning from a suspension; needs a re-entry plan.",
                        "Back after a long absence; re-entry meeting."),
    "services": ("Food and housing worries at home.", "Signs of stress and poor sleep; wants to talk to someone.",
                 "Needs help with a bus pass and getting to school."),
    "safety_review": ("Peer reports a threat made online.", "Student says they feel unsafe at lunch."),
    "other": ("Asked to see the coordinator; would not say more at the desk.",),
}

URGENT_REASONS = ("Student disclosed something that needs a counselor today.",
                  "Threat reported by several peers; review today.",
                  "Student very upset and does not want to go home; needs support before the end of the day.")

#: referral outcome -> closing notes
REFERRAL_OUTCOME_NOTES: dict[str, tuple[str, ...]] = {
    "agreement_reached": ("Agreement written and signed; check-in in two weeks.",
                          "Circle held; class agreement posted.", ""),
    "services_connected": ("Connected with the food pantry and the bus pass office.",
                           "Weekly counseling sessions started."),
    "declined": ("Family declined for now; will revisit next month.", "Student did not want to meet; door left open."),
    "no_further_action": ("Resolved in a short conversation; no further action.", ""),
}

#: door status -> notes
DOOR_NOTES: dict[str, tuple[str, ...]] = {
    "propped_open": ("Propped with a chair; closed it.", "Propped with a folded paper; removed and closed.",
                     "Propped for a delivery; custodian told."),
    "unsecured": ("Closed but not latched; pushed until it latched.", "Latch sticking; work order asked for."),
    "damaged": ("Closer arm loose; door does not close on its own. Work order asked for.",),
    "alarm": ("Alarm sounding when checked; office reset it.",),
}

CHECKPOINT_NOTES = ("Two students without passes; walked them back to class.", "Water on the floor; custodian called.",
                    "Student asleep on a bench; took them to the nurse.", "Group gathered; dispersed without trouble.",
                    "Door propped open; closed it.", "Light out in the stairwell; reported.")

RECHECK_NOTE = "Re-checked: closed and latched."

HANDOFF_SUMMARIES = ("Quiet afternoon.", "Busy lunch; see incidents.", "Two mediations waiting to be scheduled.",
                     "Follow-ups carried over to tomorrow.", "")

#: where an incident most likely happened: between periods, at lunch, in class (kept if the profile has them)
LIKELY_LOCATIONS: dict[str, tuple[str, ...]] = {
    "passing": ("Hallway", "Stairwell", "Restroom", "Bus loading", "Parking lot",
                "Corridor", "Toilets", "Bus bay", "Car park"),
    "lunch": ("Cafeteria", "Cafeteria", "Canteen", "Canteen", "Playground/Field", "Hallway", "Corridor"),
    "class": ("Classroom", "Classroom", "Classroom", "Hallway", "Restroom", "Gym", "Library", "Locker room",
              "Corridor", "Toilets", "Sports hall", "Changing rooms"),
}

#: how often each kind of contact note and referral purpose comes up
CONTACT_WEIGHTS: dict[ContactKind, int] = {
    ContactKind.CHECK_IN: 30, ContactKind.RESTORATIVE_CONVERSATION: 20, ContactKind.COACHING_WARNING: 12,
    ContactKind.CAREGIVER_CALL: 15, ContactKind.SEL_SUPPORT: 12, ContactKind.MEDIATION: 5,
    ContactKind.SERVICE_REFERRAL: 6,
}
PURPOSE_WEIGHTS: dict[ReferralPurpose, int] = {
    ReferralPurpose.CIRCLE: 14, ReferralPurpose.CONFERENCE: 18, ReferralPurpose.MEDIATION: 22,
    ReferralPurpose.REENTRY_MEETING: 8, ReferralPurpose.SERVICES: 25, ReferralPurpose.SAFETY_REVIEW: 8,
    ReferralPurpose.OTHER: 5,
}


#: the demo's own US words as a UK demo school says them (only the demo's invented phrases, never typed text)
_UK_WORDS = {"cafeteria": "canteen", "Cafeteria": "Canteen", "counselor": "school counsellor",
             "Counselor": "School counsellor", "hallway": "corridor", "Hallway": "Corridor",
             "restroom": "toilets", "Restroom": "Toilets"}
_UK_RE = re.compile(r"\b(?:" + "|".join(_UK_WORDS) + r")\b")


def phrase(words, text: str) -> str:
    """One of the demo's phrases in the school's words: "student" → "pupil", and in a UK school the
    demo's US words too ("cafeteria" → "canteen", "counselor" → "school counsellor")."""
    text = words.phrase(text)
    if words.student == "pupil":
        text = _UK_RE.sub(lambda m: _UK_WORDS[m.group(0)], text)
    return text


def phrases(words) -> SimpleNamespace:
    """The phrase pools above in the school's words (``words``: a :class:`~advocate_tui.wording.Words`;
    "Student says they overslept." is "Pupil says they overslept." in a UK school); the rest as they are."""
    def said(value):
        if isinstance(value, str):
            return phrase(words, value)
        if isinstance(value, tuple):
            return tuple(said(v) for v in value)
        if isinstance(value, dict):
            return {k: said(v) for k, v in value.items()}
        return value
    return SimpleNamespace(**{name: said(value) for name, value in globals().items()
                              if name.isupper() and not name.startswith("_")})
