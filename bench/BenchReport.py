"""The targets of issue #16, checked against the measurements, and the printed tables."""

from dataclasses import dataclass, field

# Throughput of the app over the bare-Flask baseline serving the same bytes, in the same run.
RATIO_TARGETS = {
  'health': 0.85,
  'posts_list': 0.5,
  'posts_list_anonymous': 0.5,
  'post_detail': 0.6,
  'search': 0.3,
  'me': 0.6,
}
# p99 at one connection per worker: the app's own time, no queueing.
LATENCY_TARGETS_MS = {'posts_list': 10.0, 'post_detail': 10.0, 'search': 25.0}
# The list at ten times the posts keeps this share of its throughput (both over the baseline).
SCALE_TARGET = 0.8


@dataclass
class EndpointMeasurement:
  """The app and the baseline under the same load, for one endpoint."""

  key: str
  label: str
  app: object
  baseline: object
  response_bytes: int

  @property
  def ratio(self):
    if not self.baseline.requests_per_second:
      return 0.0
    return self.app.requests_per_second / self.baseline.requests_per_second


@dataclass
class ScalePoint:
  """The list against its baseline on a database ten times larger."""

  post_count: int
  app: object
  baseline: object

  @property
  def ratio(self):
    if not self.baseline.requests_per_second:
      return 0.0
    return self.app.requests_per_second / self.baseline.requests_per_second


@dataclass
class DatabaseReport:
  """Everything measured on one database engine."""

  engine: str
  post_count: int
  measurements: list = field(default_factory=list)
  unavailable: dict = field(default_factory=dict)
  latencies: dict = field(default_factory=dict)
  baseline_latencies: dict = field(default_factory=dict)
  # {key: sorted duration_ms of the app's own log lines during its latency run}
  app_durations: dict = field(default_factory=dict)
  scale: ScalePoint | None = None
  # (passed, what was checked) of the write-then-read check, None when not run.
  write_check: tuple | None = None
  peak_rss_kilobytes: dict = field(default_factory=dict)
  build_seconds: float = 0.0

  def measurement(self, key):
    return next((item for item in self.measurements if item.key == key), None)


@dataclass
class TargetCheck:
  description: str
  measured: str
  passed: bool | None

  @property
  def verdict(self):
    return {True: 'PASS', False: 'FAIL', None: 'n/a '}[self.passed]


def not_measured(report, key):
  """Why an endpoint has no figures: the app did not answer it, or the run left it out."""
  if key in report.unavailable:
    return f'not served (the app answered {report.unavailable[key]})'
  return 'not measured in this run (--only)'


def ratio_checks(report):
  checks = []
  for key, target in RATIO_TARGETS.items():
    measurement = report.measurement(key)
    label = measurement.label if measurement else key
    checks.append(
      TargetCheck(
        f'{label}: throughput >= {target:.2f} x baseline',
        f'{measurement.ratio:.2f}' if measurement else not_measured(report, key),
        measurement.ratio >= target if measurement else None,
      )
    )
  return checks


def percentile(sorted_values, share):
  return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def latency_checks(report):
  """The p99 of the app's own time (its log lines' duration_ms) at one connection per worker;
  wrk's p99 of the app and of the baseline are printed beside it: on a shared machine they
  mostly measure the scheduler, which delays the baseline just as much."""
  checks = []
  for key, target in LATENCY_TARGETS_MS.items():
    durations = report.app_durations.get(key)
    result = report.latencies.get(key)
    base = report.baseline_latencies.get(key)
    label = report.measurement(key).label if report.measurement(key) else key
    if not durations or result is None:
      checks.append(TargetCheck(f'{label}: p99 < {target:.0f} ms', 'not measured', None))
      continue
    p99 = percentile(durations, 0.99)
    checks.append(
      TargetCheck(
        f'{label}: app p99 < {target:.0f} ms, one connection per worker',
        f'{p99:.1f} ms over {len(durations)} requests (p50 {percentile(durations, 0.5):.1f}; '
        f'wrk p99 app {result.p99_ms:.1f}, baseline {base.p99_ms:.1f})',
        p99 < target,
      )
    )
  return checks


def scale_check(report):
  """The list's ratio at ten times the posts over its ratio at the main size."""
  main = report.measurement('posts_list')
  description = f'list throughput at 10x posts >= {SCALE_TARGET:.1f} x at {report.post_count:,}'
  if report.scale is None or main is None or not main.ratio:
    return TargetCheck(description, 'not measured (--skip-scale or --only)', None)
  share = report.scale.ratio / main.ratio
  return TargetCheck(
    description,
    f'{share:.2f} ({report.scale.post_count:,} posts: {report.scale.app.requests_per_second:.0f}'
    f' req/s, ratio {report.scale.ratio:.2f}; {report.post_count:,}: '
    f'{main.app.requests_per_second:.0f} req/s, ratio {main.ratio:.2f})',
    share >= SCALE_TARGET,
  )


def check_targets(report):
  """One TargetCheck per row of the issue's table (n/a when not measured in this run)."""
  checks = ratio_checks(report) + [scale_check(report)]
  passed, detail = report.write_check if report.write_check else (None, 'not run')
  checks.append(
    TargetCheck('a write is visible to the next read (through the API)', detail, passed)
  )
  checks += latency_checks(report)
  errors = sum(item.app.errors for item in report.measurements)
  errors += sum(result.errors for result in report.latencies.values())
  checks.append(
    TargetCheck('zero errors (HTTP >= 400 and socket errors)', str(errors), errors == 0)
  )
  return checks


def render_report(report, settings_description):
  """The printed table of one database, then its targets."""
  lines = [
    '',
    f'== {report.engine}: {report.post_count:,} posts (built in {report.build_seconds:.1f} s); '
    f'{settings_description} ==',
    f'{"endpoint":<44}{"req/s":>9}{"base r/s":>10}{"ratio":>7}{"p50 ms":>8}'
    f'{"p99 ms":>8}{"b.p99":>7}{"errors":>7}{"bytes":>8}',
  ]
  for item in report.measurements:
    lines.append(
      f'{item.label:<44}{item.app.requests_per_second:>9.1f}'
      f'{item.baseline.requests_per_second:>10.1f}{item.ratio:>7.2f}{item.app.p50_ms:>8.1f}'
      f'{item.app.p99_ms:>8.1f}{item.baseline.p99_ms:>7.1f}{item.app.errors:>7}'
      f'{item.response_bytes:>8}'
    )
  for key, status in report.unavailable.items():
    lines.append(f'{key:<44}  not measured: the app answered {status}')
  if report.latencies:
    lines.append('latency at one connection per worker (no queueing), app | baseline:')
    for key, result in report.latencies.items():
      base = report.baseline_latencies.get(key)
      lines.append(
        f'  {key:<20} {result.requests_per_second:>8.1f} req/s, p50 {result.p50_ms:.1f} ms, '
        f'p99 {result.p99_ms:.1f} ms, errors {result.errors}'
        + (f' | baseline p50 {base.p50_ms:.1f} ms, p99 {base.p99_ms:.1f} ms' if base else '')
      )
  lines.append('targets:')
  for check in check_targets(report):
    lines.append(f'  {check.verdict}  {check.description:<66} measured {check.measured}')
  return '\n'.join(lines)


def report_to_json(report):
  """The measurements as plain data, for --json."""

  def load(result):
    return {
      'requests_per_second': round(result.requests_per_second, 1),
      'p50_ms': result.p50_ms,
      'p99_ms': result.p99_ms,
      'errors': result.errors,
    }

  return {
    'engine': report.engine,
    'post_count': report.post_count,
    'endpoints': {
      item.key: {
        'app': load(item.app),
        'baseline': load(item.baseline),
        'ratio': round(item.ratio, 3),
        'bytes': item.response_bytes,
      }
      for item in report.measurements
    },
    'unavailable': report.unavailable,
    'latency': {key: load(result) for key, result in report.latencies.items()},
    'baseline_latency': {key: load(result) for key, result in report.baseline_latencies.items()},
    'scale': None
    if report.scale is None
    else {
      'posts': report.scale.post_count,
      'app': load(report.scale.app),
      'baseline': load(report.scale.baseline),
      'ratio': round(report.scale.ratio, 3),
    },
    'peak_rss_kilobytes': report.peak_rss_kilobytes,
    'targets': [
      {'target': check.description, 'measured': check.measured, 'verdict': check.verdict.strip()}
      for check in check_targets(report)
    ],
  }
