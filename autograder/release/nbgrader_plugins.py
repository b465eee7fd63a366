"""nbgrader preprocessors that ``nbgrader_config.py`` puts in nbgrader's pipelines.

- :class:`ClearSolutionsLikeStubs` (generate_assignment): a solution region becomes exactly
  what it becomes in the ``.py`` stubs (``autograder.stubs``): ``raise NotImplementedError``,
  or ``q01 = None`` where the region only assigns answers. Notebook and module agree.
- :class:`OverwriteReleasedCells` (autograde): nbgrader's OverwriteCells, which says
  "Attribute 'checksum' for cell X-hidden has changed!" only when a student changed the cell.
  generate_assignment stores a locked cell's checksum before it removes the hidden tests and
  the release carries the cell without them, so plain nbgrader warns for every untouched
  hidden test cell of every student, and the warning that means tampering is lost among them.
- :class:`StripHiddenTests` (generate_feedback): nbgrader's feedback shows the hidden tests
  that autograde put back (nbgrader#917). This removes them from the feedback, with any
  traceback or message line that quotes them.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions, OverwriteCells

from autograder.stubs import BEGIN, replace_regions

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WITHHELD = "(hidden test code withheld)"


class ClearSolutionsLikeStubs(ClearSolutions):
    """nbgrader's ClearSolutions, with the stubs' placeholders in code cells."""

    def _replace_solution_region(self, cell, language) -> bool:
        if cell.cell_type != "code" or BEGIN not in cell.source:
            return super()._replace_solution_region(cell, language)
        stub = replace_regions(cell.source, f"cell {cell.metadata.get('nbgrader', {}).get('grade_id', '?')}")
        cell.source = stub if cell.source.endswith("\n") else stub.rstrip("\n")
        return True


class OverwriteReleasedCells(OverwriteCells):
    """OverwriteCells that puts the hidden tests back silently into a locked cell left as released."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id is not None and cell.get("cell_type") == "code":
            try:
                source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source = None
            if source is not None and source.locked and cell.source != source.source \
                    and cell.source == released(source.source):
                cell.source = source.source
        return super().preprocess_cell(cell, resources, cell_index)


def released(source: str) -> str:
    """``source`` as generate_assignment releases it: without its hidden test region."""
    cell = NotebookNode(cell_type="code", source=source, metadata={})
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


class StripHiddenTests(ClearHiddenTests):
    """Remove hidden test regions from feedback, and every output line that quotes them."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or self.begin_test_delimeter not in cell.source:
            return cell, resources
        hidden = _hidden_lines(cell.source, self.begin_test_delimeter, self.end_test_delimeter)
        hidden |= {self.begin_test_delimeter, self.end_test_delimeter}
        self._remove_hidden_test_region(cell)
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [_scrub(entry, hidden) for entry in output.traceback]
                output.evalue = _scrub(output.evalue, hidden)
            elif output.output_type == "stream":
                output.text = _scrub(output.text, hidden)
        return cell, resources


def _hidden_lines(source: str, begin: str, end: str) -> set[str]:
    lines, inside = set(), False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside and line.strip():
            lines.add(line.strip())
    return lines


def _scrub(text: str, hidden: set[str]) -> str:
    """``text`` with every line that contains a hidden line replaced by a short note."""
    kept = []
    for line in text.split("\n"):
        plain = ANSI.sub("", line)
        kept.append(WITHHELD if any(h in plain for h in hidden) else line)
    return "\n".join(kept)
