"""Load and scale benchmarks; shared helpers in bench.common."""
