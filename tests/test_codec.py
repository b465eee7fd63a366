"""The boundary's plain data: what a forged or unconvertible answer becomes (the student's error)."""

import pytest

from autograder import codec


@pytest.mark.parametrize("value", [10**400, -(10**400), 2**63, [1, 2**64]])
def test_integers_beyond_int64_are_the_students_unconvertible_answer(value):
    with pytest.raises(codec.NotPlainData, match="too large"):
        codec.encode(value)
    with pytest.raises(codec.NotPlainData, match="too large"):
        codec.decode(value)


def test_integers_within_int64_cross_unchanged():
    assert codec.decode(codec.encode([2**63 - 1, -(2**63), 0])) == [2**63 - 1, -(2**63), 0]


@pytest.mark.parametrize("shape", [[0, 2**70], [0, 2**39, 2**39], [-1], [1.5], list(range(1, 40))])
def test_a_forged_array_shape_is_refused_as_plain_data(shape):
    with pytest.raises(codec.NotPlainData, match="shape"):
        codec.decode({"__nd__": "float64", "shape": shape, "b64": ""})
