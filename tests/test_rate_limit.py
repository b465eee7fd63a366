"""The rate limit of graded Gradescope submissions, on fake submission_metadata.json."""

from datetime import datetime, timedelta

import pytest

from autograder.errors import UsageError
from autograder.rate_limit import GRADED, GRADER_ERROR, RATE_LIMITED, RateLimit, check, last_results

NOW = datetime.fromisoformat("2018-07-01T14:00:00-07:00")  # far from the clock: times come from the metadata


def previous(hours_ago: float, score: float, kind: str | None = GRADED) -> dict:
    results = {"score": score, "tests": [], "output": f"run of {hours_ago} h ago"}
    if kind is not None:
        results["extra_data"] = {"nn101": {"kind": kind}}
    return {"submission_time": (NOW - timedelta(hours=hours_ago)).isoformat(), "score": score, "results": results}


def metadata(*entries: dict) -> dict:
    return {"id": 9, "created_at": NOW.isoformat(), "users": [{"id": 1}], "previous_submissions": list(entries)}


@pytest.mark.parametrize("text, expected", [("3/24", (3, 24.0)), ("1/0.5", (1, 0.5)), (" 10 / 168 ", (10, 168.0))])
def test_the_option_reads_n_per_hours(text, expected):
    limit = RateLimit.parse(text)
    assert (limit.submissions, limit.hours) == expected
    assert RateLimit.parse(str(limit)) == limit


@pytest.mark.parametrize("text", ["3", "0/24", "3/0", "-1/24", "3/x", "a/b", "3/24/1", ""])
def test_a_bad_limit_is_a_usage_error(text):
    with pytest.raises(UsageError, match="N/HOURS"):
        RateLimit.parse(text)


def test_under_the_limit_the_submission_is_graded_and_only_the_window_counts():
    verdict = check(RateLimit(3, 24), metadata(previous(30, 1), previous(20, 2), previous(1, 3)))
    assert not verdict.limited and verdict.graded_before == 2


def test_at_the_limit_the_last_results_are_kept_and_the_next_try_is_when_the_oldest_leaves_the_window():
    entries = [previous(23, 1), previous(5, 2), previous(2, 4)]
    verdict = check(RateLimit(3, 24), metadata(*reversed(entries)))  # any order
    assert verdict.limited and verdict.graded_before == 3
    assert verdict.next_graded_at == NOW + timedelta(hours=1)
    assert verdict.kept_results == entries[-1]["results"]


def test_rate_limited_tries_and_grader_failures_do_not_count_but_a_limited_one_is_kept():
    limit = RateLimit(2, 24)
    entries = [previous(10, 5), previous(8, 0, GRADER_ERROR), previous(6, 5, RATE_LIMITED)]
    assert not check(limit, metadata(*entries)).limited
    verdict = check(limit, metadata(previous(12, 3), *entries))
    assert verdict.limited and verdict.next_graded_at == NOW + timedelta(hours=12)
    assert verdict.kept_results == entries[-1]["results"]  # the newest graded or rate-limited results
    assert last_results(metadata(*entries[:2])) == entries[0]["results"]  # never a grader failure's


def test_results_from_another_autograder_count_as_graded():
    verdict = check(RateLimit(1, 24), metadata(previous(3, 7, kind=None)))
    assert verdict.limited and verdict.kept_results["score"] == 7


def test_the_window_is_measured_from_created_at_not_from_the_clock():
    assert check(RateLimit(1, 24), metadata(previous(23.9, 1))).limited
    assert not check(RateLimit(1, 24), metadata(previous(24, 1))).limited


@pytest.mark.parametrize("broken", [
    {"created_at": "yesterday", "previous_submissions": [previous(1, 1)]},
    {"created_at": "2018-07-01T14:00:00", "previous_submissions": [previous(1, 1)]},  # no UTC offset
    {"previous_submissions": [previous(1, 1)]},
])
def test_unreadable_metadata_grades_the_submission(broken):
    assert check(RateLimit(1, 24), broken) is None


def test_malformed_previous_entries_are_ignored_and_nothing_to_keep_means_graded():
    junk = [None, "x", {"submission_time": "soon"}, {"submission_time": NOW.isoformat(), "results": "text"}]
    verdict = check(RateLimit(1, 24), {**metadata(), "previous_submissions": junk})
    assert not verdict.limited  # counted, but there are no results to keep: grade rather than give 0
    assert check(RateLimit(1, 24), {**metadata(), "previous_submissions": "oops"}).graded_before == 0
