from __future__ import annotations

import pytest
from sockgen_runtime.reconnect import RECONNECT_CLOSE_CODES, ReconnectPolicy


def test_the_seven_codes() -> None:
    assert sorted(RECONNECT_CLOSE_CODES) == [1001, 1005, 1006, 1011, 1012, 1013, 1015]
    policy = ReconnectPolicy()
    for code in (1000, 1002, 1003, 1007, 1008, 1009, 1010, 1014, 4000):
        assert not policy.should_reconnect(code)
    assert policy.should_reconnect(None)  # no close frame: abnormal closure


@pytest.mark.parametrize("rand", [0.0, 0.5, 0.999])
def test_delays_grow_exponentially_within_bounds(rand: float) -> None:
    policy = ReconnectPolicy(max_retries=10, initial_delay=0.5, max_delay=8.0)
    delays = [policy.delay(a, lambda: rand) for a in range(1, 11)]
    assert all(0.5 <= d <= 8.0 for d in delays)
    assert delays == sorted(delays)
    nominal = [min(8.0, 0.5 * 2 ** (a - 1)) for a in range(1, 11)]
    for d, n in zip(delays, nominal, strict=False):
        assert max(0.5, n * 0.75) <= d <= n


def test_jitter_varies_the_delay() -> None:
    policy = ReconnectPolicy(initial_delay=1.0, max_delay=30.0)
    assert policy.delay(4, lambda: 0.0) == 8.0
    assert policy.delay(4, lambda: 1.0) == 6.0


def test_invalid_settings() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        ReconnectPolicy(max_retries=-1)
    with pytest.raises(ValueError, match="initial_delay <= max_delay"):
        ReconnectPolicy(initial_delay=2.0, max_delay=1.0)
