"""The Forms screen on a real database: the forms → versions tree, the new-form, compare
and publish dialogs, and every list action (edit, publish, discard, retire, bring back,
compare, export, import, duplicate) with its refusals shown as sentences.
(The end-to-end designer flow and the Excel scorecard import: test_form_designer_flow.py.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QMessageBox, QWidget

from qa_monitor.core.form_diff import diff_forms
from qa_monitor.core.records import FormStatus
from qa_monitor.core.word_diff import WordChange
from qa_monitor.formfiles import dump_form, load_form, save_form
from qa_monitor.services import Services
from qa_monitor.ui.dialogs.new_form_dialog import NewFormDialog, Source
from qa_monitor.ui.dialogs.version_diff_dialog import PublishDialog, VersionDiffDialog
from qa_monitor.ui.models.form_diff_model import FormDiffModel
from qa_monitor.ui.models.forms_tree_model import FormsFilterProxy, FormsTreeModel
from qa_monitor.ui.screens.forms_screen import FormsScreen
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.word_diff_delegate import WORDS_ROLE
from tests.factories import passing_answers, sample_form, seed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def services(tmp_path: Path):
    with Services.open(tmp_path / "t.db") as opened:
        yield opened


def changed_form(points: float = 8):
    """The sample form with one question's points changed and a question added."""
    form = sample_form()
    greeting = form.sections[0]
    greet = replace(greeting.questions[0], points=points)
    thanked = replace(greet, id="thanked", text="Thanked the customer", points=2)
    sections = (replace(greeting, questions=(greet, thanked, *greeting.questions[1:])),)
    return replace(form, sections=sections + form.sections[1:])


def library(services: Services):
    """Support call v1 (one evaluation) + a draft v2; a retired form; a draft-only form."""
    seeded = seed(services)
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    services.evaluations.save_draft(evaluation.id, passing_answers())
    assert services.evaluations.submit(evaluation.id).ok
    services.forms.save_form_draft(changed_form())
    old = sample_form("old_sales", "Old sales call")
    services.forms.publish_form(old, seeded.reviewer.id)
    services.forms.retire_form("old_sales")
    services.forms.save_form_draft(replace(sample_form("chat", "Chat review"), sections=()))
    return seeded


# ---------------------------------------------------------------- models
def test_tree_model_lists_forms_and_versions(qapp, qtmodeltester, services: Services) -> None:
    seeded = library(services)
    model = FormsTreeModel()
    names = {r.id: r.name for r in services.people.list_reviewers()}
    model.set_forms(services.forms.list_forms(), names)
    qtmodeltester.check(model)
    proxy = FormsFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert titles == ["Chat review", "Old sales call", "Support call"]
    support = model.index(2, 0)
    assert model.rowCount(support) == 2
    draft, v1 = model.index(0, 0, support), model.index(1, 0, support)
    assert (draft.data(), v1.data()) == ("Version 2", "Version 1")  # newest first
    status = lambda index: model.index(index.row(), 2, index.parent()).data()  # noqa: E731
    assert status(draft) == "Draft"
    assert status(v1) == "Published · in use"
    assert "draft" in status(support) and "v1" in status(support)
    assert model.index(1, 2, support).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(1, 4, support).data() == seeded.expert.name
    assert model.index(1, 5, support).data() == "1"  # one evaluation with version 1
    assert model.index(0, 5, support).data() == "0"
    assert status(model.index(1, 0)).startswith("Retired")
    assert status(model.index(0, 0)) == "Draft · never published"
    proxy.set_search("SALES")
    assert proxy.rowCount() == 1
    assert proxy.rowCount(proxy.index(0, 0)) == 1  # its version comes along
    proxy.set_search("")
    proxy.set_show_retired(False)
    assert proxy.rowCount() == 2


def test_diff_model_shows_kind_as_word_icon_and_colour(qapp, qtmodeltester) -> None:
    model = FormDiffModel()
    model.set_diff(diff_forms(sample_form(), changed_form()))
    qtmodeltester.check(model)
    kinds = [model.index(r, 0).data() for r in range(model.rowCount())]
    texts = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert "Added" in kinds and "Changed" in kinds
    assert any("Thanked the customer" in t for t in texts)
    assert any("5 → 8" in t for t in texts)
    added = kinds.index("Added")
    assert model.index(added, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(added, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(added, 2).data() == "Affects score"


# ---------------------------------------------------------------- dialogs
def test_new_form_dialog_proposes_a_free_id_and_refuses_a_taken_one(qtbot, tmp_path) -> None:
    template = sample_form("inbound", "Inbound call")
    dialog = NewFormDialog({"inbound", "sales_call"}, [template])
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()  # no title yet
    qtbot.keyClicks(dialog.identity.title, "Sales call")
    assert dialog.identity.form_id.text() == "sales_call_2"  # follows the title, unused
    assert dialog.ok.isEnabled()
    dialog.identity.form_id.clear()
    qtbot.keyClicks(dialog.identity.form_id, "sales_call")
    assert not dialog.ok.isEnabled()
    assert "already exists" in dialog.identity.error.text()
    dialog.set_source(Source.TEMPLATE)
    assert dialog.identity.values() == ("Inbound call", "inbound_2")
    made = dialog.form()
    assert made is not None and made.id == "inbound_2" and made.sections == template.sections
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: qa-monitor-form/1\nid: x\ntitle: [\n", encoding="utf-8")
    assert not dialog.load_file(bad)
    assert f"{bad}:" in dialog.file_problems.toPlainText()  # file:line, no traceback
    assert not dialog.ok.isEnabled()
    good = tmp_path / "good.yaml"
    save_form(sample_form("from_file", "From file"), good)
    assert dialog.load_file(good)
    assert dialog.form().id == "from_file"  # type: ignore[union-attr]


def test_compare_dialog_between_any_two_versions(qtbot) -> None:
    forms = {1: sample_form(), 2: changed_form(), 3: changed_form(points=9)}
    loaded: list[int] = []

    def load(version_id: int):
        loaded.append(version_id)
        return forms[version_id]

    labels = [("Version 1", 1), ("Version 2", 2), ("Version 3", 3)]
    dialog = VersionDiffDialog("Support call", labels, load, 1, 2)
    qtbot.addWidget(dialog)
    assert "1 question added" in dialog.view.summary.text()
    assert dialog.view.model.rowCount() >= 2
    dialog.old.setCurrentIndex(1)
    dialog.new.setCurrentIndex(2)
    assert dialog.view.model.rowCount() == 1
    assert "8 → 9" in dialog.view.model.index(0, 1).data()
    dialog.new.setCurrentIndex(1)
    assert dialog.view.pages.currentWidget() is dialog.view.empty
    assert sorted(set(loaded)) == [1, 2, 3] and len(loaded) == 3  # each loaded once
    dialog.view.score_only.setChecked(True)


def test_compare_shows_the_changed_words_of_a_long_wording(qtbot) -> None:
    """Two long wordings that differ near their end used to be shown both cut at the
    same place ("…custome…" twice); the changed words are shown instead."""
    old = sample_form()
    before = (
        "Greeted the customer warmly, introduced themself and used the customer's name "
        "at least twice during the call"
    )
    after = before.replace("themself", "themselves").replace("twice", "three times")
    greet = replace(old.sections[0].questions[0], text=before)
    old = replace(old, sections=(replace(old.sections[0], questions=(greet,)),))
    new = replace(
        old, sections=(replace(old.sections[0], questions=(replace(greet, text=after),)),)
    )
    forms = {1: old, 2: new}
    dialog = VersionDiffDialog("Support call", [("Version 1", 1), ("Version 2", 2)],
                               forms.__getitem__, 1, 2)  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.resize(900, 500)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.view
    index = view.table.model().index(0, 1)
    sentence = index.data()
    assert sentence.endswith("(greet): wording changed")  # no second, cut copy of it
    pieces = index.data(WORDS_ROLE)
    removed = [t for k, t in pieces if k is WordChange.REMOVED]
    added = [t for k, t in pieces if k is WordChange.ADDED]
    assert (removed, added) == (["themself", "twice"], ["themselves", "three times"])
    assert "".join(t for k, t in pieces if k is not WordChange.ADDED) == before
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Removed words: themself … twice." in spoken
    assert "Added words: themselves … three times." in spoken
    # Drawn under the sentence (a second line), with a legend that does not rely on colour.
    line = view.table.fontMetrics().height()
    assert view.table.rowHeight(0) >= 2 * line
    assert view.legend.isVisible() and "struck through" in view.legend.text()


def test_publish_dialog_names_the_version_and_the_changes(qtbot) -> None:
    diff = diff_forms(sample_form(), changed_form())
    dialog = PublishDialog(changed_form(), 2, 1, diff, 12)
    qtbot.addWidget(dialog)
    assert dialog.publish_button.text() == "Publish version 2"
    assert dialog.view.model.rowCount() == len(diff.changes)
    first = PublishDialog(sample_form(), 1, None, None, 0)
    qtbot.addWidget(first)
    assert first.publish_button.text() == "Publish version 1"


def test_the_first_publish_dialog_shows_only_its_own_lines(qtbot) -> None:
    """Nothing to compare with: no changes view, no widget left outside the layout (a
    stray "Only changes that affect scores" box used to sit over the heading)."""
    dialog = PublishDialog(sample_form(), 1, None, None, 0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    layout = dialog.layout()
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    stray = [
        type(w).__name__
        for w in dialog.findChildren(QWidget, options=direct)
        if w.isVisible() and layout.indexOf(w) < 0
    ]
    assert stray == []
    shown = [w.text() for w in dialog.findChildren(QCheckBox) if w.isVisible()]
    assert shown == []


# ---------------------------------------------------------------- the screen
Answer = Callable[[QDialog], int]


class Dialogs:
    """Plays the user: answers each dialog the screen opens with the next queued answer."""

    def __init__(self) -> None:
        self.queue: list[Answer] = []
        self.seen: list[QDialog] = []

    def __call__(self, dialog: QDialog) -> int:
        self.seen.append(dialog)
        assert self.queue, f"unexpected dialog: {dialog.windowTitle()}"
        return self.queue.pop(0)(dialog)

    @property
    def last(self) -> QDialog:
        return self.seen[-1]


def clicking(text: str) -> Answer:
    """Answer a message box by clicking the button whose text contains ``text``."""

    def answer(box: QDialog) -> int:
        assert isinstance(box, QMessageBox), type(box)
        for button in box.buttons():
            if text.casefold() in button.text().replace("&", "").casefold():
                button.click()
                return box.result()
        raise AssertionError(f"no button '{text}' in {[b.text() for b in box.buttons()]}")

    return answer


def accepting(dialog: QDialog) -> int:
    dialog.accept()
    return dialog.result()


def closing(dialog: QDialog) -> int:
    dialog.reject()
    return dialog.result()


def box_text(box: QDialog) -> str:
    assert isinstance(box, QMessageBox)
    return "\n".join((box.text(), box.informativeText(), box.detailedText()))


@pytest.fixture
def screen(qtbot, services: Services) -> FormsScreen:
    library(services)
    made = FormsScreen(Session(services, services.path, 1))
    qtbot.addWidget(made)
    made.resize(1400, 900)
    made.show()
    qtbot.waitExposed(made)
    made.prompter.run = Dialogs()  # type: ignore[method-assign]
    return made


def dialogs(screen: FormsScreen) -> Dialogs:
    return screen.prompter.run  # type: ignore[return-value]


def test_screen_lists_forms_searches_and_enables_actions(qtbot, screen: FormsScreen) -> None:
    assert screen.count_label.text() == "3 forms"
    assert screen.select("support_call")
    for action in ("edit", "publish", "discard", "retire", "compare", "export", "duplicate"):
        assert getattr(screen, f"{action}_action").isEnabled(), action
    assert not screen.bring_back_action.isEnabled()
    assert "draft of version 2" in screen.panel.heading.text()
    assert screen.select("old_sales")
    assert screen.bring_back_action.isEnabled() and not screen.retire_action.isEnabled()
    assert not screen.publish_action.isEnabled() and not screen.compare_action.isEnabled()
    qtbot.keyClicks(screen.search, "chat")
    assert screen.proxy.rowCount() == 1 and screen.count_label.text() == "1 of 3 forms"
    qtbot.keyClicks(screen.search, "zzz")
    assert screen.list_stack.currentWidget() is screen.empty
    assert "chatzzz" in screen.empty_text.text()
    screen.search.clear()
    screen.show_retired.setChecked(False)
    assert screen.proxy.rowCount() == 2


def test_publish_from_the_list_refuses_an_invalid_draft_then_publishes(
    qtbot, screen: FormsScreen, services: Services
) -> None:
    user = dialogs(screen)
    screen.select("chat")
    user.queue.append(accepting)
    assert not screen.publish_selected()
    assert "no sections" in box_text(user.last)  # refused, with the problem listed
    assert services.forms.latest_published("chat") is None
    screen.select("support_call")
    user.queue.append(accepting)
    with qtbot.waitSignal(screen.changed) as changed:
        screen.publish_action.trigger()
    assert changed.args[0].forms
    confirm = user.last
    assert isinstance(confirm, PublishDialog) and "version 2" in confirm.publish_button.text()
    v2 = services.forms.latest_published("support_call")
    assert v2 is not None and v2.version == 2 and v2.published_by == 1
    assert services.forms.get_draft("support_call") is None
    assert "version 2" in screen.status.text()
    found = screen.selected()
    assert found is not None and found[1] is not None and found[1].id == v2.id


def test_editing_asks_before_losing_changes(qtbot, screen: FormsScreen, services) -> None:
    user = dialogs(screen)
    services.forms.discard_form_draft("support_call")
    screen.refresh()
    screen.select("support_call")
    screen.activateWindow()
    screen.tree.setFocus()
    qtbot.keyClick(screen.tree, Qt.Key.Key_F2)
    page = screen.editing
    assert screen.is_editing() and "new draft of version 2" in page.title.text()
    assert screen.maybe_leave()  # nothing changed: no question, nothing stored
    assert not screen.is_editing() and services.forms.get_draft("support_call") is None

    screen.edit_selected()
    page.editor.set_question("greet", points=7)
    user.queue.append(clicking("keep editing"))
    assert not screen.maybe_leave() and screen.is_editing()
    assert "has changes that are not saved" in box_text(user.last)
    user.queue.append(clicking("discard"))
    assert screen.maybe_leave() and services.forms.get_draft("support_call") is None

    screen.edit_selected()
    page.editor.set_question("greet", points=7)
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    draft = services.forms.get_draft("support_call")
    assert draft is not None and draft.form.question("greet").points == 7  # type: ignore[union-attr]
    assert not page.is_dirty() and "draft of version 2" in page.title.text()
    page.editor.set_question("greet", points=9)
    user.queue.append(clicking("save draft"))
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert not screen.is_editing()
    draft = services.forms.get_draft("support_call")
    assert draft.form.question("greet").points == 9  # type: ignore[union-attr]

    screen.edit_selected()
    page.editor.set_question("greet", points=3)
    screen.flush()  # closing the window: kept without asking
    assert services.forms.get_draft("support_call").form.question("greet").points == 3  # type: ignore[union-attr]


def test_discard_retire_and_bring_back_can_be_undone(
    qtbot, screen: FormsScreen, services: Services
) -> None:
    user = dialogs(screen)
    screen.select("support_call")
    kept = services.forms.get_draft("support_call")
    user.queue.append(clicking("cancel"))
    assert not screen.discard_selected()
    user.queue.append(clicking("discard draft"))
    assert screen.discard_selected()
    assert services.forms.get_draft("support_call") is None
    assert screen.undo_button.isVisible()
    screen.undo()
    assert services.forms.get_draft("support_call").form == kept.form  # type: ignore[union-attr]

    user.queue.append(clicking("retire"))
    with qtbot.waitSignal(screen.changed):
        assert screen.retire_selected()
    assert "1 evaluation" in box_text(user.seen[-1])
    assert services.forms.form_info("support_call").status is FormStatus.RETIRED
    assert not [v for v in services.forms.published_versions() if v.form_id == "support_call"]
    assert screen.bring_back_selected()
    assert services.forms.form_info("support_call").status is FormStatus.PUBLISHED
    assert services.forms.get_draft("support_call") is not None  # the draft survived
    assert services.forms.latest_published("support_call").version == 1  # type: ignore[union-attr]
    screen.undo()
    assert services.forms.form_info("support_call").status is FormStatus.RETIRED


def test_import_yaml_lists_file_problems_and_handles_an_existing_id(
    qtbot, screen: FormsScreen, services: Services, tmp_path: Path
) -> None:
    user = dialogs(screen)
    bad = tmp_path / "broken.yaml"
    bad.write_text(dump_form(sample_form("fresh", "Fresh")).replace("points: 5", "points: five"))
    user.queue.append(accepting)
    assert not screen.import_yaml(bad)
    text = box_text(user.last)
    assert f"{bad}:" in text and "Traceback" not in text
    assert "fresh" not in {f.form_id for f in services.forms.list_forms()}

    good = tmp_path / "fresh.yaml"
    save_form(sample_form("fresh", "Fresh"), good)
    assert screen.import_yaml(good)
    assert screen.is_editing() and screen.editing.form_id == "fresh"
    assert services.forms.get_draft("fresh") is not None
    assert screen.maybe_leave()

    same_id = tmp_path / "support.yaml"
    save_form(changed_form(points=6), same_id)
    user.queue.append(clicking("new draft of this form"))
    assert screen.import_yaml(same_id)
    assert "version 2" in box_text(user.seen[-1])  # its draft would be replaced: said so
    draft = services.forms.get_draft("support_call")
    assert draft.form.question("greet").points == 6  # type: ignore[union-attr]


def test_export_duplicate_and_compare_from_the_list(
    qtbot, screen: FormsScreen, services: Services, tmp_path: Path
) -> None:
    user = dialogs(screen)
    v1 = services.forms.latest_published("support_call")
    screen.select("support_call", v1.id)  # type: ignore[union-attr]
    target = tmp_path / "out" / "support.yaml"
    screen.prompter.save_path = lambda *_a: target  # type: ignore[method-assign]
    user.queue.append(accepting)
    assert not screen.export_selected()  # the folder does not exist: said, not raised
    assert "Nothing was written" in box_text(user.last)
    target.parent.mkdir()
    assert screen.export_selected()
    assert load_form(target) == v1.form  # type: ignore[union-attr]
    assert str(target) in screen.status.text()

    def copy(dialog: QDialog) -> int:
        assert isinstance(dialog, NewFormDialog)
        assert dialog.identity.values() == ("Support call (copy)", "support_call_2")
        return accepting(dialog)

    user.queue.append(copy)
    assert screen.duplicate_selected()
    assert services.forms.get_draft("support_call_2").form.sections == v1.form.sections  # type: ignore[union-attr]
    assert screen.maybe_leave()

    screen.select("support_call")
    user.queue.append(closing)
    assert screen.compare_selected()
    compare = user.last
    assert isinstance(compare, VersionDiffDialog)
    assert compare.old.currentText().startswith("Version 1")
    assert compare.new.currentText() == "Version 2 (draft)"
    assert compare.view.model.rowCount() >= 2


def test_the_title_column_keeps_a_readable_width_on_a_laptop(qtbot, services) -> None:
    """At 1280×800 the list is about 1130 px wide: the title column used to stretch
    into what the other columns left, down to "…"."""
    library(services)
    long_title = "Inbound customer-service call with the retention offer"
    services.forms.save_form_draft(sample_form("inbound", long_title))
    screen = FormsScreen(Session(services, services.path, 1))
    qtbot.addWidget(screen)
    screen.resize(1130, 740)
    screen.show()
    qtbot.waitExposed(screen)
    tree = screen.tree
    em = tree.fontMetrics().horizontalAdvance("M")
    width = tree.columnWidth(0)
    assert width >= 11 * tree.fontMetrics().height()  # about 25 letters of a title
    shown = tree.fontMetrics().horizontalAdvance("Support call")
    assert width > shown + 3 * em  # indentation, icon and the short title whole
    # Wider: the title takes what the other columns leave, so the last column
    # (evaluations per version) stays in view without scrolling.
    screen.resize(1600, 900)
    columns = range(tree.model().columnCount())
    qtbot.waitUntil(lambda: sum(tree.columnWidth(c) for c in columns) <= tree.viewport().width())
    assert tree.columnWidth(0) >= 11 * tree.fontMetrics().height()
    screen.select("inbound")
    index = tree.currentIndex().siblingAtColumn(0)
    assert index.data(Qt.ItemDataRole.ToolTipRole) and long_title in str(
        index.data(Qt.ItemDataRole.ToolTipRole)
    )


def test_the_screen_opens_on_the_first_form(screen: FormsScreen) -> None:
    chosen = screen.selected()
    assert chosen is not None
    assert screen.panel.heading.text()  # the summary beside the list shows that form
    assert screen.edit_action.isEnabled()
