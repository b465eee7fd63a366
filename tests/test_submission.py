"""How checks reach student code: a probe asked twice with the same arguments runs once."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.submission import InProcessSubmission, StudentError


def counting_sigmoid():
    calls = []

    def sigmoid(z):
        calls.append(z)
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))

    return sigmoid, calls


def test_the_same_probe_with_the_same_arguments_runs_once():
    sigmoid, calls = counting_sigmoid()
    submission = InProcessSubmission({"activations": {"sigmoid": sigmoid}})
    first = submission.probe("activations", "call_recording_warnings", ("sigmoid", np.array([0.0, 1.0])), {})
    again = submission.probe("activations", "call_recording_warnings", ("sigmoid", np.array([0.0, 1.0])), {})
    assert len(calls) == 1
    np.testing.assert_array_equal(first["value"], again["value"])
    submission.probe("activations", "call_recording_warnings", ("sigmoid", np.array([0.0, 2.0])), {})
    assert len(calls) == 2  # other arguments: a run of its own


def test_a_remembered_answer_is_a_fresh_copy_each_time():
    sigmoid, _ = counting_sigmoid()
    submission = InProcessSubmission({"activations": {"sigmoid": sigmoid}})
    ask = lambda: submission.probe("activations", "call_recording_warnings", ("sigmoid", np.zeros(2)), {})  # noqa: E731
    first = ask()
    first["value"][0] = 99.0  # a check that changes its answer must not change the next check's
    first["warnings"].append("changed")
    again = ask()
    assert again["value"][0] == 0.5 and again["warnings"] == []


def test_a_probe_that_failed_is_run_again():
    attempts = []

    def sigmoid(z):
        attempts.append(z)
        raise ValueError("not yet")

    submission = InProcessSubmission({"activations": {"sigmoid": sigmoid}})
    for _ in range(2):
        with pytest.raises(StudentError, match="ValueError"):
            submission.probe("activations", "call_recording_warnings", ("sigmoid", np.zeros(2)), {})
    assert len(attempts) == 2
