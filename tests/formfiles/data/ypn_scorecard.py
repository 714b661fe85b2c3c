"""A Yes / Partial / No scorecard as a QA team keeps it in Excel, written with openpyxl.

27 question rows in four sections (soft skills, process, compliance, outcome), the answer
scale written a different way on many rows ("Yes/Partial/No", "Y/P/N", "Yes / Partially /
No", "yes-partial-no", "No/Partial/Yes" ...), a title above the header, a total line at the
bottom, and two bad rows: an unknown type ("Good/Bad/Ugly") and points written as a word.

``write_ypn_scorecard(path)`` writes it; tests of the import dialog and of the
``forms import-sheet`` command use the same sheet. Run this file to write a copy:
``python tests/formfiles/data/ypn_scorecard.py OUT.xlsx``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook

TITLE = "Retention desk – Yes / Partial / No scorecard"
HEADER = ["Section", "Category", "Question", "Type", "Points", "N/A allowed", "Critical"]
FIRST_DATA_ROW = 3  # the title is row 1, the header row 2

# (section, category, question, type as written, points, N/A allowed, critical)
ROWS: list[list[object]] = [
    ["Soft skills", "Soft skills", "Made the customer feel heard", "Yes/Partial/No", 10, "", ""],
    [None, None, "Repeated back what they heard to check it", "Y/P/N", 5, "", ""],
    [None, None, "Showed empathy for the frustration", "Yes / Partially / No", 10, "", ""],
    [None, None, "Did not rush the conversation", "yes-partial-no", 5, "", ""],
    [None, None, "Explained in plain words, without jargon", "Yes/No/Partial", 5, "", ""],
    [None, None, "Said 'I don't know' rather than guess", "Yes/No", 5, "Y", ""],
    [None, None, "Used the customer's name", "y / n", 5, "", ""],
    [None, None, "Thanked the customer", "No/Partial/Yes", 5, "", ""],
    ["Process", "Process adherence", "Used the recorded history", "YES / PARTIAL / NO", 10, "", ""],
    [None, None, "Identified the needs before offering a solution", "Partial/Yes/No", 10, "", ""],
    [None, None, "Did not push a solution that does not fit", "Yes, Partial or No", 5, "", ""],
    [None, None, "Asked permission before ending a short call", "Y/P/N", 5, "Y", ""],
    [None, None, "Committed to a callback date and time", "Yes/Partial/No", 5, "Y", ""],
    [None, None, "Recorded the feedback and the reason", "Yes / No", 5, "", ""],
    [None, None, "Pointed to self-service resources", "Good/Bad/Ugly", 5, "", ""],  # bad: type
    [None, None, "Followed up proactively", "Yes/Partially/No", 5, "Y", ""],
    ["Compliance", "Compliance", "Read the recording disclosure", "Yes/No", 10, "", "form"],
    [None, None, "Verified the account holder", "Yes/Partial/No", 10, "", "section"],
    [None, None, "Protected personal data", "y/p/n", 10, "", "section"],
    [None, None, "Stated the cancellation terms", "Yes/Partial/No", "ten", "", ""],  # bad: points
    [None, None, "Logged the complaint", "Pass/Fail", 5, "", ""],
    [None, None, "Offered the complaints route", "Yes/Partial/No", 5, "Y", ""],
    ["Outcome", "Outcome", "Solved the problem on first contact", "Yes/Partial/No", 15, "", ""],
    [None, None, "Met the customer's expectations", "Y/P/N", 10, "", ""],
    [None, None, "Kept the customer's effort low", "Yes / Partial / No", 10, "", ""],
    [None, None, "Retained the customer", "Yes/No/Partial", 10, "Y", ""],
    [None, None, "Additional purchase where the need was real", "Yes/No", 5, "Y", ""],
    [None, None, "Total", None, 205, None, None],
]  # fmt: skip

# The two bad rows, by sheet row and the header of the cell at fault.
BAD_CELLS = [(FIRST_DATA_ROW + 14, "Type"), (FIRST_DATA_ROW + 19, "Points")]
QUESTION_ROWS = 27
GOOD_QUESTIONS = QUESTION_ROWS - len(BAD_CELLS)


def write_ypn_scorecard(path: str | Path) -> Path:
    """Write the scorecard to ``path`` (an .xlsx file) and return the path."""
    path = Path(path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scorecard"
    sheet.append([TITLE])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.create_sheet("How to score").append(["Partial = the agent did some of it."])
    book.save(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "ypn_scorecard.xlsx")
    print(write_ypn_scorecard(target))
