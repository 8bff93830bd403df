"""Shows the operations tests' figures in pytest's summary, where CI's log keeps them."""

from tests.ops.OpsFigures import FIGURES


def pytest_terminal_summary(terminalreporter):
  """A section listing every figure the operations tests reported."""
  if FIGURES:
    terminalreporter.section('operations figures')
    for line in FIGURES:
      terminalreporter.write_line(line)
