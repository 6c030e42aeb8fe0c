"""Speed and scale benchmarks: `python -m benchmarks [--quick] [--json]`."""
