"""Danish wording for generated enquiries, citizens and staff, read from
seed/data/demo_texts.json (whose _about says what it holds).

Subjects and descriptions carry the words citizens used (nøglekort,
adgangskode, netbank...), so full-text search on the demo data finds what a
user would type. All names and addresses are invented.
"""

from seed.files import read

_TEXTS = read("demo_texts.json")
FIRST_NAMES = _TEXTS["first_names"]
LAST_NAMES = _TEXTS["last_names"]
MINISTRY_RESOLUTION = _TEXTS["ministry_resolution"]
MINISTRY_SUBJECTS = _TEXTS["ministry_subjects"]
PRESS_MEDIA = _TEXTS["press_media"]
PRESS_RESOLUTION = _TEXTS["press_resolution"]
PRESS_SUBJECTS = _TEXTS["press_subjects"]
STREETS = _TEXTS["streets"]
SUPPORT_DETAILS = _TEXTS["support_details"]
SUPPORT_OPENINGS = _TEXTS["support_openings"]
SUPPORT_RESOLUTIONS = _TEXTS["support_resolutions"]
SUPPORT_SUBJECTS = _TEXTS["support_subjects"]
TOWNS = _TEXTS["towns"]
