"""Snapshots of playing sessions share a budget of the trainer's time: a page alone gets
what it asks for, many pages share the budget evenly, and none gets fewer than FLOOR a
second. Each costs its own seconds plus the event loop's handling of it."""

import pytest

from app import snapshot_budget
from app.snapshot_budget import FLOOR, HANDLING_SECONDS, SHARE, SnapshotBudget


def test_one_page_alone_may_pull_as_fast_as_it_asks():
    budget = SnapshotBudget()
    assert budget.interval("page", 0.05) == 0.0


def test_pages_share_the_budget_down_to_the_floor():
    budget = SnapshotBudget()
    for page in range(3):
        budget.interval(page, 0.0005)
    assert budget.interval(0, 0.0005) == pytest.approx(3 * (0.0005 + HANDLING_SECONDS) / SHARE)
    for page in range(40):
        budget.interval(page, 0.0005)
    assert budget.interval(0, 0.0005) == pytest.approx(1 / FLOOR)


def test_a_page_that_stopped_pulling_or_left_no_longer_counts(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(snapshot_budget.time, "monotonic", lambda: now[0])
    budget = SnapshotBudget()
    budget.interval("gone", 0.001)
    budget.interval("left", 0.001)
    budget.forget("left")
    budget.interval("page", 0.001)
    now[0] += snapshot_budget.ACTIVE_SECONDS + 0.1
    budget.interval("other", 0.001)
    assert budget.interval("page", 0.001) == pytest.approx(2 * (0.001 + HANDLING_SECONDS) / SHARE)


def test_the_cost_is_a_running_mean():
    budget = SnapshotBudget()
    budget.interval("page", 0.001)
    budget.interval("page", 0.002)
    assert budget.cost == pytest.approx(HANDLING_SECONDS + 0.8 * 0.001 + 0.2 * 0.002)
