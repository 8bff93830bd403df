"""Drive a URL with wrk at fixed concurrency and read its figures back."""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA_FOLDER = Path(__file__).resolve().parent / 'lua'
REPORT_SCRIPT = LUA_FOLDER / 'BenchReport.lua'
RESULT_MARKER = 'BENCH_JSON '


@dataclass
class LoadSettings:
  """How hard and how long wrk pushes: the same for every endpoint and both servers."""

  duration_seconds: int = 5
  connections: int = 8
  threads: int = 2
  timeout_seconds: int = 5

  def describe(self):
    return f'wrk -t{self.threads} -c{self.connections} -d{self.duration_seconds}s'


@dataclass
class LoadResult:
  """What one wrk run measured."""

  requests: int
  duration_us: int
  p50_us: int
  p99_us: int
  max_us: int
  status_errors: int
  socket_errors: int

  @property
  def requests_per_second(self):
    return self.requests / (self.duration_us / 1_000_000) if self.duration_us else 0.0

  @property
  def errors(self):
    return self.status_errors + self.socket_errors

  @property
  def p50_ms(self):
    return self.p50_us / 1000

  @property
  def p99_ms(self):
    return self.p99_us / 1000


def combine_results(results):
  """One LoadResult for several runs of the same load: all requests over all the time, the
  median of the p50s and the worst p99 (a p99 cannot be merged exactly; the worst is the
  honest bound)."""
  p50s = sorted(result.p50_us for result in results)
  return LoadResult(
    requests=sum(result.requests for result in results),
    duration_us=sum(result.duration_us for result in results),
    p50_us=p50s[len(p50s) // 2],
    p99_us=max(result.p99_us for result in results),
    max_us=max(result.max_us for result in results),
    status_errors=sum(result.status_errors for result in results),
    socket_errors=sum(result.socket_errors for result in results),
  )


def run_pair(first_url, second_url, settings, rounds, headers=None, extra_script=None):
  """Load two URLs in alternating rounds (A B, B A, ...), so a burst of load from elsewhere
  on the machine falls on both; returns their combined LoadResults."""
  first, second = [], []
  for round_number in range(rounds):
    order = [(first_url, first), (second_url, second)]
    if round_number % 2:
      order.reverse()
    for url, results in order:
      results.append(run_wrk(url, settings, headers, extra_script))
  return combine_results(first), combine_results(second)


def require_wrk():
  """The path of wrk, or an error that says how to get it."""
  path = shutil.which('wrk')
  if path is None:
    raise RuntimeError('wrk is not installed: `apt-get install -y wrk` (make bench does it).')
  return path


def lua_script(extra_script=None):
  """The reporting hook, after the request setup of `extra_script` when there is one."""
  text = REPORT_SCRIPT.read_text()
  if extra_script is not None:
    text = Path(extra_script).read_text() + '\n' + text
  return text


def run_wrk(url, settings, headers=None, extra_script=None):
  """Load `url` for the configured time; returns a LoadResult."""
  with tempfile.NamedTemporaryFile('w', suffix='.lua', delete=False) as script:
    script.write(lua_script(extra_script))
  command = [
    require_wrk(),
    f'-t{settings.threads}',
    f'-c{settings.connections}',
    f'-d{settings.duration_seconds}s',
    f'--timeout={settings.timeout_seconds}s',
    '-s',
    script.name,
  ]
  for name, value in (headers or {}).items():
    command += ['-H', f'{name}: {value}']
  try:
    output = subprocess.run(
      [*command, url], capture_output=True, text=True, check=True, timeout=120
    ).stdout
  finally:
    Path(script.name).unlink(missing_ok=True)
  return parse_wrk_output(output)


def parse_wrk_output(output):
  """The LoadResult in the JSON line the Lua `done` hook printed."""
  for line in output.splitlines():
    if line.startswith(RESULT_MARKER):
      figures = json.loads(line[len(RESULT_MARKER) :])
      return LoadResult(
        requests=figures['requests'],
        duration_us=figures['duration_us'],
        p50_us=figures['p50_us'],
        p99_us=figures['p99_us'],
        max_us=figures['max_us'],
        status_errors=figures['status_errors'],
        socket_errors=sum(
          figures[name]
          for name in ('connect_errors', 'read_errors', 'write_errors', 'timeout_errors')
        ),
      )
  raise RuntimeError(f'wrk printed no result line:\n{output}')
