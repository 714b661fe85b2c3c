"""Help ▸ User guide (Shift+F1): a short guide for a reviewer's and a supervisor's first
day, inside the app, so it works offline and is translated with the rest.

Every paragraph is one translatable text of whole sentences; the headings double as a
table of contents (Tab to a link, Enter to jump). docs/*.md keep the full detail.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from qa_monitor.ui.widgets.widget_style import em

Section = tuple[str, str, list[str]]  # (anchor, heading, paragraphs)


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("QA Monitor user guide"))
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("User guide"))
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(self.html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(em(self, 46), em(self, 40))
        self.browser.setFocus()

    def sections(self) -> list[Section]:
        return [
            (
                "first-steps",
                self.tr("First steps"),
                [
                    self.tr(
                        "Choose who you are with Evaluation ▸ Change reviewer; the status bar "
                        "shows the reviewer and the database in use."
                    ),
                    self.tr(
                        "A supervisor first adds teams, agents and reviewers on People, or "
                        "imports a roster with Data ▸ Import roster. Forms lists the "
                        "evaluation forms: start one from a shipped template, edit it and "
                        "publish it before anyone scores with it."
                    ),
                    self.tr(
                        "Ctrl+1 to Ctrl+0 move between the screens, and F1 lists the keys "
                        "of the screen you are on. The menus open with Alt and their "
                        "underlined letter."
                    ),
                ],
            ),
            (
                "scoring",
                self.tr("Scoring a call with the keyboard"),
                [
                    self.tr(
                        "Ctrl+N starts a new evaluation: choose the interaction and the form. "
                        "Calls chosen for you wait on My queue; Enter opens the selected one."
                    ),
                    self.tr(
                        "On the form, ↓ and ↑ move between questions. Answer with the keys "
                        "shown on the buttons (Y and N, P and F, or the numbers); A marks a "
                        "question not applicable and Delete clears it."
                    ),
                    self.tr(
                        "C writes a comment on the current question and Esc goes back to it. "
                        "Ctrl+Space plays or pauses the recording and Ctrl+T puts the current "
                        "time into the comment."
                    ),
                    self.tr(
                        "The draft saves itself; Ctrl+S saves it at once. Ctrl+Enter checks "
                        "the answers and submits; what is missing is named and selected."
                    ),
                ],
            ),
            (
                "dashboard",
                self.tr("The dashboard"),
                [
                    self.tr(
                        "The Dashboard shows scores, pass rates and critical failures for the "
                        "period, teams, agents and forms chosen in its filter bar."
                    ),
                    self.tr(
                        "Tab into a chart, move between its bars or points with the arrow "
                        "keys and press Enter to list the evaluations behind one on the "
                        "Evaluations screen. Ctrl+E exports what Evaluations shows to Excel."
                    ),
                ],
            ),
            (
                "calibration",
                self.tr("Calibration"),
                [
                    self.tr(
                        "In a calibration session several reviewers score the same call "
                        "blind, on the same published form. Nobody sees the others' answers "
                        "until the session is revealed."
                    ),
                    self.tr(
                        "After the reveal the panel goes through the questions where scores "
                        "differ most and agrees an answer; a note on a question's guidance "
                        "opens the form's draft on Forms. Reviewer quality shows how far "
                        "each reviewer drifts from the others over time."
                    ),
                ],
            ),
            (
                "disputes-coaching",
                self.tr("Disputes and coaching"),
                [
                    self.tr(
                        "An agent acknowledges a submitted evaluation or disputes some of its "
                        "questions, each with a reason. Disputes waits for a reviewer other "
                        "than the one who scored it to re-review it: each disputed answer is "
                        "upheld or overturned."
                    ),
                    self.tr(
                        "Coaching keeps the sessions held with an agent, started from an "
                        "evaluation or from the agent's profile, with the actions agreed and "
                        "their due dates."
                    ),
                ],
            ),
            (
                "team-sync",
                self.tr("Team sync"),
                [
                    self.tr(
                        "Scoring always works offline. To share a team's work, choose a team "
                        "folder or a team server in Settings ▸ Team; the changes made here "
                        "are then sent and the others' received in the background."
                    ),
                    self.tr(
                        "F5 syncs at once. The status bar says when the last sync happened, "
                        "and File ▸ Sync conflicts shows any change two people made to the "
                        "same record, for you to choose."
                    ),
                ],
            ),
            (
                "backups",
                self.tr("Backups"),
                [
                    self.tr(
                        "The database is copied when the app closes and once a day when it "
                        "opens; the newest copies are kept in a backups folder beside it. "
                        "Settings ▸ Backups chooses how many and where."
                    ),
                    self.tr(
                        "Database ▸ Back up now makes a copy at once, Database ▸ Restore "
                        "backup shows what each copy holds before restoring it, and "
                        "Database ▸ Check checks the whole file for damage."
                    ),
                ],
            ),
        ]

    def html(self) -> str:
        sections = self.sections()
        contents = "".join(
            f'<li><a href="#{anchor}">{escape(heading)}</a></li>'
            for anchor, heading, _paragraphs in sections
        )
        body = [f"<h2>{escape(self.tr('QA Monitor user guide'))}</h2><ul>{contents}</ul>"]
        for anchor, heading, paragraphs in sections:
            body.append(f'<h3><a name="{anchor}"></a>{escape(heading)}</h3>')
            body.extend(f"<p>{escape(text)}</p>" for text in paragraphs)
        return "".join(body)

    def headings(self) -> list[str]:
        return [heading for _anchor, heading, _paragraphs in self.sections()]
