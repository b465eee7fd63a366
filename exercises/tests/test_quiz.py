"""Visible tests of quiz.py: run `pytest exercises` (or `pytest exercises/tests/test_quiz.py`)."""

from autograder.visible import make_test

test_quiz = make_test("quiz")
