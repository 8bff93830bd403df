"""Figures the operations tests measured (requests, failures, writes acknowledged vs found),
shown at the end of the pytest run even when the tests pass (tests/ops/conftest.py)."""

FIGURES = []


def report_figure(line):
  """Print a figure now (seen with -s) and keep it for the run's summary."""
  print(line)
  FIGURES.append(line)
