"""Benchmark scripts for sohoa: scoring, end-to-end pipeline runs and memory checks."""
