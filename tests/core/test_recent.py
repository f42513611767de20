"""Recent: a batched function's results remembered, least recently used out first."""

from __future__ import annotations

from commonground.core.recent import Recent


def test_missing_keys_are_computed_once_in_one_call_and_the_oldest_leave_first() -> None:
    calls: list[list[str]] = []

    def upper(keys: list[str]) -> list[str]:
        calls.append(keys)
        return [key.upper() for key in keys]

    recent: Recent[str, str] = Recent(2)
    assert recent(["a", "b", "a"], upper) == ["A", "B", "A"]
    assert calls == [["a", "b"]]
    assert recent(["a"], upper) == ["A"] and len(calls) == 1  # "a" is now the most recent
    assert recent(["c"], upper) == ["C"]  # "b", the least recent, leaves
    assert recent(["a", "b"], upper) == ["A", "B"]
    assert calls[-1] == ["b"]
