"""Dataset readers and scorers shared by the benchmarks, the training scripts and the test suite's
quality floors (development only: not part of the installed service)."""
