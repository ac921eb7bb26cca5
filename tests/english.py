"""English words of the interface that have no business on a Vietnamese page or document:
the browser walk in Vietnamese and the official PDFs are read against them."""

import re

# English words of the interface that have no business on a Vietnamese page. Capitalised
# words are matched with their capital (a label or a button starts with one); the small
# function words only as whole lowercase words. Left out on purpose: words that are also
# Vietnamese without accents ("to", "do", "an", "con"), codes and brand names.
ENGLISH_UI_WORDS = [
    "Save", "Submit", "Cancel", "Score", "Scores", "Module", "Modules", "Learner", "Learners",
    "Transcript", "Attendance", "Section", "Sections", "Status", "Approved", "Search",
    "Filter", "Delete", "Add", "Change", "View site", "Log out", "Log in", "Home", "Semester",
    "Gradebook", "Gradebooks", "Diploma", "Diplomas", "Teacher", "Student", "Program",
    "Programme", "Class", "Classes", "Name", "Date", "Edit", "Back", "Next", "Previous",
    "Download", "Print", "Details", "Actions", "Action", "Select", "Show", "Hide", "Total",
    "Yes", "None", "Welcome", "Password", "Recent actions", "My actions", "Required",
    "Review", "Approve", "Return", "Lock", "Locked", "Open", "Closed", "Draft", "Submitted",
    "Pending", "Running", "Failed", "Done", "Upload", "Import", "Export", "Report", "Reports",
    "Warning", "Warnings", "Standing", "Letter", "Attempts", "Credits", "Average",
    "Provinces", "Province", "Provincial", "Staff", "Training", "Assessment", "Courseware",
    "Results", "Result", "Summary", "Summaries", "Waivers", "Exemptions", "Amendments",
    "minutes", "hours", "days", "ago", "male", "female",
    "the", "and", "of", "with", "since", "your", "from", "this", "has", "have", "not", "is",
    "are", "was", "will", "must", "for", "or",
]
ENGLISH = re.compile(
    r"(?<![\w/.@:#-])(" + "|".join(re.escape(word) for word in ENGLISH_UI_WORDS) + r")(?![\w/.@-])"
)
