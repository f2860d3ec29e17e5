"""Percentiles and small summaries shared by the benchmarks."""
import math


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of `values` (0 < fraction <= 1), or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(round(fraction * len(ordered), 9)))
    return ordered[rank - 1]


def latency_ms(seconds: list[float]) -> dict:
    """Count, p50, p99 and max of durations in seconds, as milliseconds."""
    def ms(value):
        return None if value is None else round(value * 1000, 2)
    return {"n": len(seconds), "p50_ms": ms(percentile(seconds, 0.50)),
            "p99_ms": ms(percentile(seconds, 0.99)), "max_ms": ms(max(seconds) if seconds else None)}
