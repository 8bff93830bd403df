"""The targets of issue #8, checked against the measurements, and the printed tables."""

from dataclasses import dataclass, field

RATIO_TARGET = 0.5
RATIO_TARGET_ENDPOINTS = ('posts_list', 'post_detail')
SEARCH_P99_TARGET_MS = 50.0
SEARCH_P99_TARGET_POSTS = 20_000
PEAK_RSS_TARGET_MB = 120.0


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
class SearchPoint:
  """Search latency at one database size."""

  post_count: int
  matches: int | None
  result: object


@dataclass
class DatabaseReport:
  """Everything measured on one database engine."""

  engine: str
  post_count: int
  measurements: list = field(default_factory=list)
  unavailable: dict = field(default_factory=dict)
  search_points: list = field(default_factory=list)
  peak_rss_kilobytes: dict = field(default_factory=dict)
  current_rss_kilobytes: dict = field(default_factory=dict)
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


def check_targets(report):
  """One TargetCheck per target of the issue (n/a when the endpoint is not there yet)."""
  checks = []
  for key in RATIO_TARGET_ENDPOINTS:
    measurement = report.measurement(key)
    label = measurement.label if measurement else key
    checks.append(
      TargetCheck(
        f'{label}: throughput >= {RATIO_TARGET:.2f} x baseline',
        f'{measurement.ratio:.2f}' if measurement else not_measured(report, key),
        measurement.ratio >= RATIO_TARGET if measurement else None,
      )
    )
  checks += search_checks(report)
  errors = sum(item.app.errors for item in report.measurements)
  errors += sum(point.result.errors for point in report.search_points)
  checks.append(
    TargetCheck('zero errors (HTTP >= 400 and socket errors)', str(errors), errors == 0)
  )
  peak_mb = max(report.peak_rss_kilobytes.values(), default=0) / 1024
  workers = ', '.join(f'{kb / 1024:.1f}' for kb in report.peak_rss_kilobytes.values())
  now = ', '.join(f'{kb / 1024:.1f}' for kb in report.current_rss_kilobytes.values())
  checks.append(
    TargetCheck(
      f'peak worker RSS (VmHWM) < {PEAK_RSS_TARGET_MB:.0f} MB',
      f'{peak_mb:.1f} MB (workers: {workers}; VmRSS after the run: {now})',
      peak_mb < PEAK_RSS_TARGET_MB if report.peak_rss_kilobytes else None,
    )
  )
  return checks


def search_checks(report):
  """p99 under 50 ms at 20,000 posts, and p99 growing slower than the data."""
  points = sorted(report.search_points, key=lambda point: point.post_count)
  if not points:
    return [TargetCheck('search', not_measured(report, 'search'), None)]
  checks = []
  at_target = next((p for p in points if p.post_count == SEARCH_P99_TARGET_POSTS), None)
  if at_target is not None:
    checks.append(
      TargetCheck(
        f'search p99 < {SEARCH_P99_TARGET_MS:.0f} ms at {SEARCH_P99_TARGET_POSTS:,} posts',
        f'{at_target.result.p99_ms:.1f} ms',
        at_target.result.p99_ms < SEARCH_P99_TARGET_MS,
      )
    )
  for smaller, larger in zip(points, points[1:], strict=False):
    data_growth = larger.post_count / smaller.post_count
    latency_growth = larger.result.p99_us / max(smaller.result.p99_us, 1)
    checks.append(
      TargetCheck(
        f'search p99({larger.post_count:,}) / p99({smaller.post_count:,}) < data growth '
        f'{data_growth:.0f}x (sub-linear)',
        f'{latency_growth:.2f}x',
        latency_growth < data_growth,
      )
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
  if report.search_points:
    lines.append('search latency by size (app only, one connection per worker: no queueing):')
    for point in sorted(report.search_points, key=lambda point: point.post_count):
      lines.append(
        f'  {point.post_count:>9,} posts, {point.matches if point.matches is not None else "?":>6}'
        f' matches: {point.result.requests_per_second:>8.1f} req/s, p50 '
        f'{point.result.p50_ms:.1f} ms, p99 {point.result.p99_ms:.1f} ms, '
        f'errors {point.result.errors}'
      )
  lines.append('targets:')
  for check in check_targets(report):
    lines.append(f'  {check.verdict}  {check.description:<72} measured {check.measured}')
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
    'search': [
      {'posts': point.post_count, 'matches': point.matches, **load(point.result)}
      for point in report.search_points
    ],
    'peak_rss_kilobytes': report.peak_rss_kilobytes,
    'current_rss_kilobytes': report.current_rss_kilobytes,
    'targets': [
      {'target': check.description, 'measured': check.measured, 'verdict': check.verdict.strip()}
      for check in check_targets(report)
    ],
  }
