"""Benchmarks: print figures and ratios against peers; never assert timings."""
