"""The form designer's editor: a tree of sections and questions, their properties, a live
preview and summary, with undo for every edit. The Forms screen hosts ``FormEditorWidget``."""
