"""Form template files: one YAML file per form <-> the core ``Form`` (see forms/README.md)."""

from qa_monitor.formfiles.errors import FormFileError, FormFileProblem, render_problems
from qa_monitor.formfiles.keys import FORMAT
from qa_monitor.formfiles.shipped import load_shipped_forms, shipped_form_paths
from qa_monitor.formfiles.yaml_format import (
    dump_form,
    form_file_warnings,
    form_text_warnings,
    load_form,
    parse_form,
    save_form,
    validate_form_file,
    validate_form_text,
)

__all__ = [
    "FORMAT",
    "FormFileError",
    "FormFileProblem",
    "dump_form",
    "form_file_warnings",
    "form_text_warnings",
    "load_form",
    "load_shipped_forms",
    "parse_form",
    "render_problems",
    "save_form",
    "shipped_form_paths",
    "validate_form_file",
    "validate_form_text",
]
