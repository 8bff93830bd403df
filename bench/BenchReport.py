"""The targets of issues #16 and #22, checked against the measurements, and the printed
tables."""

import statistics
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
# Issue #22's mix (bench/BenchMix.py): app req/s over the baseline's, median of the rounds.
MIX_RATIO_TARGETS = {
  'mix_reads': 0.6,
  'mix_writes_2': 0.5,
  'mix_writes_10': 0.4,
  'mix_writes_2_no_cache': 0.25,
}
# wrk's p99 of the app under the mix (queueing at 16 connections included), worst round.
MIX_P99_TARGETS_MS = {'mix_writes_2': 50.0}
# A row's writes count when every one was answered 2xx and they kept this share of the rate.
MIX_WRITE_RATE_SHARE = 0.9


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
class MixRow:
  """One row of the mix: its app and baseline rounds (in order), the cache counters' growth
  over the app rounds (None when /metrics has no counter) and the writer's WriteTally."""

  key: str
  label: str
  writes_per_second: float
  cache_enabled: bool
  app_rounds: list = field(default_factory=list)
  baseline_rounds: list = field(default_factory=list)
  hits: float | None = None
  misses: float | None = None
  writes: object | None = None
  # Why the hit rate is n/a (no counter on /metrics yet, /metrics refused), when it is.
  hit_rate_note: str | None = None

  @property
  def round_ratios(self):
    return [
      app.requests_per_second / base.requests_per_second if base.requests_per_second else 0.0
      for app, base in zip(self.app_rounds, self.baseline_rounds, strict=True)
    ]

  @property
  def ratio(self):
    return statistics.median(self.round_ratios) if self.app_rounds else 0.0

  @property
  def app_requests_per_second(self):
    return statistics.median(result.requests_per_second for result in self.app_rounds)

  @property
  def baseline_requests_per_second(self):
    return statistics.median(result.requests_per_second for result in self.baseline_rounds)

  @property
  def app(self):
    """The app's rounds combined: the median p50, the worst p99, every error."""
    from bench.BenchLoad import combine_results

    return combine_results(self.app_rounds)

  @property
  def hit_rate(self):
    if self.hits is None or self.misses is None or not self.hits + self.misses:
      return None
    return self.hits / (self.hits + self.misses)

  def describe_hit_rate(self):
    return 'n/a' if self.hit_rate is None else f'{self.hit_rate:.0%}'

  def describe_writes(self):
    """'1.97/s of 2 (59 ok, 0 failed)', or 'none'."""
    if self.writes is None:
      return 'none'
    tally = self.writes
    return (
      f'{tally.achieved_per_second:.2f}/s of {tally.asked_per_second:g} '
      f'({tally.succeeded_total} ok, {tally.failed_total} failed)'
    )


@dataclass
class MixReport:
  """Issue #22's mix on one database engine."""

  settings_description: str
  reads_description: str
  rows: list = field(default_factory=list)
  # The baseline's body: the mean size of the cache-on app's answers to a sample of the mix.
  mean_body_bytes: int | None = None
  sampled_requests: int = 0
  # Sampled reads (both app servers) not answered with a 2xx.
  sample_errors: int = 0
  # What the warm-up before the cache-on rows did (BenchMix.warm_up), or None.
  warm_up: str | None = None

  def row(self, key):
    return next((row for row in self.rows if row.key == key), None)


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
  # False when the run measured only the mix (--only-mix): issue #16's rows are left out.
  endpoints_run: bool = True
  mix: MixReport | None = None

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


def mix_checks(mix):
  """Issue #22's rows: each ratio, the p99 where the issue sets one, no read errors, and the
  writes done as asked (else the row did not measure what it says)."""
  checks = []
  for key, target in MIX_RATIO_TARGETS.items():
    row = mix.row(key)
    if row is None or not row.app_rounds:
      checks.append(
        TargetCheck(f'mix {key}: throughput >= {target:.2f} x baseline', 'not run', None)
      )
      continue
    checks.append(
      TargetCheck(
        f'mix {row.label}: throughput >= {target:.2f} x baseline',
        f'{row.ratio:.2f} ({row.app_requests_per_second:.0f} req/s, hit rate '
        f'{row.describe_hit_rate()}, writes {row.describe_writes()})',
        row.ratio >= target,
      )
    )
  for key, target in MIX_P99_TARGETS_MS.items():
    row = mix.row(key)
    description = f'mix {row.label if row else key}: wrk p99 < {target:.0f} ms'
    if row is None or not row.app_rounds:
      checks.append(TargetCheck(description, 'not run', None))
      continue
    app = row.app
    checks.append(
      TargetCheck(
        description,
        f'{app.p99_ms:.1f} ms (worst of {len(row.app_rounds)} rounds; p50 {app.p50_ms:.1f})',
        app.p99_ms < target,
      )
    )
  errors = mix.sample_errors + sum(row.app.errors for row in mix.rows if row.app_rounds)
  checks.append(
    TargetCheck('mix reads: zero errors (HTTP >= 400 and socket errors)', str(errors), errors == 0)
  )
  written = [row for row in mix.rows if row.writes is not None]
  if written:
    kept = all(
      not row.writes.failed_total
      and row.writes.achieved_per_second >= MIX_WRITE_RATE_SHARE * row.writes.asked_per_second
      for row in written
    )
    checks.append(
      TargetCheck(
        f'mix writes: all 2xx, >= {MIX_WRITE_RATE_SHARE:.0%} of the asked rate',
        '; '.join(row.describe_writes() for row in written),
        kept,
      )
    )
  return checks


def check_targets(report):
  """One TargetCheck per row of the issues' tables (n/a when not measured in this run)."""
  checks = endpoint_checks(report) if report.endpoints_run else []
  if report.mix is not None:
    checks += mix_checks(report.mix)
  return checks


def endpoint_checks(report):
  """Issue #16's rows."""
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


def render_mix(mix):
  """The mix's table: medians of the rounds for req/s and the ratio, the app's p50 (median)
  and p99 (worst round), the hit rate over the app rounds, the writes done."""
  lines = [
    f'mix: {mix.settings_description}; reads: {mix.reads_description}; baseline body '
    f'{mix.mean_body_bytes or 0:,} bytes (mean of {mix.sampled_requests} sampled app answers)',
    *([mix.warm_up] if mix.warm_up else []),
    f'{"mix row":<34}{"req/s":>9}{"base r/s":>10}{"ratio":>7}{"p50 ms":>8}{"p99 ms":>8}'
    f'{"errors":>7}{"hit%":>6}  writes',
  ]
  for row in mix.rows:
    app = row.app
    lines.append(
      f'{row.label:<34}{row.app_requests_per_second:>9.1f}{row.baseline_requests_per_second:>10.1f}'
      f'{row.ratio:>7.2f}{app.p50_ms:>8.1f}{app.p99_ms:>8.1f}{app.errors:>7}'
      f'{row.describe_hit_rate():>6}  {row.describe_writes()}'
    )
    if row.writes is not None and row.writes.durations_ms:
      failures = ', '.join(f'{reason} x{count}' for reason, count in row.writes.failures.items())
      lines.append(
        f'{"":<34}writes p50 {row.writes.percentile_ms(0.5):.0f} ms, p99 '
        f'{row.writes.percentile_ms(0.99):.0f} ms; ok {row.writes.succeeded}'
        + (f'; failed: {failures}' if failures else '')
      )
    lines.append(
      f'{"":<34}rounds: '
      + ', '.join(
        f'{app.requests_per_second:.0f}/{base.requests_per_second:.0f} = {ratio:.2f}'
        for app, base, ratio in zip(
          row.app_rounds, row.baseline_rounds, row.round_ratios, strict=True
        )
      )
    )
  # With the cache off nothing is looked up: its n/a needs no note.
  notes = sorted({row.hit_rate_note for row in mix.rows if row.hit_rate_note and row.cache_enabled})
  lines += [f'hit rate n/a: {note}' for note in notes]
  return lines


def render_report(report, settings_description):
  """The printed table of one database, then its targets."""
  lines = [
    '',
    f'== {report.engine}: {report.post_count:,} posts (built in {report.build_seconds:.1f} s); '
    f'{settings_description} ==',
  ]
  if report.endpoints_run:
    lines += endpoint_table(report)
  if report.mix is not None:
    lines += render_mix(report.mix)
  lines.append('targets:')
  for check in check_targets(report):
    lines.append(f'  {check.verdict}  {check.description:<66} measured {check.measured}')
  return '\n'.join(lines)


def endpoint_table(report):
  """Issue #16's table: one line per endpoint, then the latencies at one connection per worker."""
  lines = [
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
  return lines


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
    'mix': None if report.mix is None else mix_to_json(report.mix, load),
    'targets': [
      {'target': check.description, 'measured': check.measured, 'verdict': check.verdict.strip()}
      for check in check_targets(report)
    ],
  }


def rounded(value, digits=1):
  return None if value is None else round(value, digits)


def mix_to_json(mix, load):
  """The mix's rows as plain data, for --json."""

  def writes(tally):
    if tally is None:
      return None
    return {
      'asked_per_second': tally.asked_per_second,
      'achieved_per_second': round(tally.achieved_per_second, 3),
      'seconds': round(tally.seconds, 2),
      'attempted': tally.attempted,
      'succeeded': tally.succeeded,
      'failures': tally.failures,
      'p50_ms': rounded(tally.percentile_ms(0.5)),
      'p99_ms': rounded(tally.percentile_ms(0.99)),
    }

  return {
    'settings': mix.settings_description,
    'reads': mix.reads_description,
    'baseline_body_bytes': mix.mean_body_bytes,
    'sampled_requests': mix.sampled_requests,
    'sample_errors': mix.sample_errors,
    'warm_up': mix.warm_up,
    'rows': {
      row.key: {
        'label': row.label,
        'writes_per_second': row.writes_per_second,
        'cache_enabled': row.cache_enabled,
        'ratio': round(row.ratio, 3),
        'round_ratios': [round(ratio, 3) for ratio in row.round_ratios],
        'app_requests_per_second': round(row.app_requests_per_second, 1),
        'baseline_requests_per_second': round(row.baseline_requests_per_second, 1),
        'app': load(row.app),
        'app_rounds': [load(result) for result in row.app_rounds],
        'baseline_rounds': [load(result) for result in row.baseline_rounds],
        'cache_hits': row.hits,
        'cache_misses': row.misses,
        'hit_rate': None if row.hit_rate is None else round(row.hit_rate, 4),
        'hit_rate_note': row.hit_rate_note,
        'writes': writes(row.writes),
      }
      for row in mix.rows
      if row.app_rounds
    },
  }
