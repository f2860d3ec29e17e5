"""The serving process tunes Python's collector for thousands of long-lived sockets (hub/serving.py says why)."""
import gc

from hub import serving


def test_young_collections_are_made_rarer_so_full_ones_stop_holding_the_acks():
    before = gc.get_threshold()
    try:
        serving.tune_gc()
        assert gc.get_threshold() == serving.GC_THRESHOLDS
        assert serving.GC_THRESHOLDS[0] > 10 * before[0]
    finally:
        gc.set_threshold(*before)
