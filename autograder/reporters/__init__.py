"""Reporters: ``render(results) -> str``, one format per module, no grading logic."""

from autograder.reporters import gradescope, json_report, junit, markdown, text

FORMATS = {"text": text.render, "json": json_report.render, "gradescope": gradescope.render,
           "junit": junit.render, "markdown": markdown.render}
