"""The cost of the worst uploads the API accepts: peak RSS growth and CPU time of decoding,
re-encoding and thumbnailing each one, measured in a fresh process apiece.

    .venv/bin/python -m bench.BenchImages            # a table of the figures
    .venv/bin/python -m bench.BenchImages --json     # the same as JSON

The budget (issue 12): at most 150 MB more peak RSS and 1 s of CPU per upload on the
reference machine. The figures are recorded in docs/BAD_INPUT.md.
"""

import argparse
import json
import resource
import subprocess  # nosec B404 # runs this interpreter on this module, no shell
import sys
import time

from PIL import Image

RSS_BUDGET_MB = 150
CPU_BUDGET_SECONDS = 1.0


def worst_cases():
  """Name -> a function building the upload: each format and mode at the largest canvas
  accepted, in at most MAX_IMAGE_BYTES (flat or gently varying pictures compress that well;
  decoding costs by the pixel, not by the byte)."""
  from app.posts.PostConstants import (
    MAX_JPEG_PIXELS,
    MAX_LOSSLESS_PIXELS,
    MAX_PROGRESSIVE_JPEG_PIXELS,
    MAX_WEBP_PIXELS,
  )

  png, webp = square_side(MAX_LOSSLESS_PIXELS), square_side(MAX_WEBP_PIXELS)
  jpeg, progressive = square_side(MAX_JPEG_PIXELS), square_side(MAX_PROGRESSIVE_JPEG_PIXELS)
  return {
    'png_rgba': lambda: encoded(gradient_image('RGBA', png), 'PNG'),
    'png_palette_alpha': lambda: encoded(
      gradient_image('RGB', png).quantize(64), 'PNG', transparency=0
    ),
    'png_gray_alpha': lambda: encoded(gradient_image('LA', png), 'PNG'),
    'webp_rgba_lossless': lambda: encoded(gradient_image('RGBA', webp), 'WEBP', lossless=True),
    'webp_rgb_lossy': lambda: encoded(gradient_image('RGB', webp), 'WEBP', quality=80),
    'jpeg_baseline': lambda: encoded(gradient_image('RGB', jpeg), 'JPEG', quality=90),
    'jpeg_progressive_444': lambda: encoded(
      gradient_image('RGB', progressive), 'JPEG', quality=90, progressive=True, subsampling=0
    ),
    'jpeg_cmyk': lambda: encoded(gradient_image('CMYK', jpeg), 'JPEG', quality=90),
  }


def square_side(pixels):
  return int(pixels**0.5)


def gradient_image(mode, side):
  """A `side`-square picture of smooth gradients in `mode` (small once compressed)."""
  horizontal = Image.linear_gradient('L').resize((side, side))
  vertical = horizontal.transpose(Image.Transpose.ROTATE_90)
  bands = [horizontal, vertical, Image.new('L', (side, side), 128), horizontal]
  return Image.merge(mode, bands[: len(mode)])


def encoded(image, image_format, **options):
  """The bytes of `image` saved in `image_format` (through a file: libjpeg cannot write a
  large progressive picture into a BytesIO)."""
  import tempfile

  with tempfile.TemporaryFile() as output:
    image.save(output, format=image_format, **options)
    output.seek(0)
    return output.read()


def resident_kb():
  """This process's resident set size now, in kB."""
  with open('/proc/self/status') as status:
    for line in status:
      if line.startswith('VmRSS:'):
        return int(line.split()[1])
  return 0


def peak_resident_kb():
  with open('/proc/self/status') as status:
    for line in status:
      if line.startswith('VmHWM:'):
        return int(line.split()[1])
  return 0


def reset_peak():
  """Make VmHWM start again from the current RSS (Linux 4.0+)."""
  with open('/proc/self/clear_refs', 'w') as clear_refs:
    clear_refs.write('5')


def measure_in_this_process(path):
  """Decode, re-encode and thumbnail the upload at `path` as the API does; the figures."""
  from app.posts.PostImageHelpers import decode_image, render_image_files

  with open(path, 'rb') as upload:
    data = upload.read()
  reset_peak()
  before_kb = resident_kb()
  usage_before = resource.getrusage(resource.RUSAGE_SELF)
  wall_started = time.perf_counter()
  files = render_image_files(decode_image(data))
  wall_seconds = time.perf_counter() - wall_started
  usage_after = resource.getrusage(resource.RUSAGE_SELF)
  cpu_seconds = (usage_after.ru_utime - usage_before.ru_utime) + (
    usage_after.ru_stime - usage_before.ru_stime
  )
  return {
    'upload_kb': round(len(data) / 1024),
    'rss_growth_mb': round((peak_resident_kb() - before_kb) / 1024, 1),
    'cpu_seconds': round(cpu_seconds, 3),
    'wall_seconds': round(wall_seconds, 3),
    'stored': f'{files[4]}x{files[5]} {files[0]}',
  }


def measure(name, folder):
  """The figures for the worst case `name`, measured in a fresh interpreter."""
  path = f'{folder}/{name}.upload'
  with open(path, 'wb') as upload:
    upload.write(worst_cases()[name]())
  # This interpreter, this module, a fixed argument list.
  completed = subprocess.run(  # nosec B603
    [sys.executable, '-m', 'bench.BenchImages', '--measure', path],
    capture_output=True,
    text=True,
    check=True,
    timeout=300,
  )
  return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv=None):
  import tempfile

  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('--json', action='store_true', help='print JSON instead of a table')
  parser.add_argument('--measure', help=argparse.SUPPRESS)
  args = parser.parse_args(argv)
  if args.measure:
    print(json.dumps(measure_in_this_process(args.measure)))
    return 0
  results = {}
  if not args.json:
    print(f'budget: +{RSS_BUDGET_MB} MB peak RSS, {CPU_BUDGET_SECONDS} s CPU per upload')
    print(f'{"upload":22} {"size":>8} {"+RSS MB":>8} {"CPU s":>6} {"wall s":>6}  stored')
  with tempfile.TemporaryDirectory(prefix='dibz-bench-images-') as folder:
    for name in worst_cases():
      figures = results[name] = measure(name, folder)
      if not args.json:
        print(
          f'{name:22} {figures["upload_kb"]:>6}kB {figures["rss_growth_mb"]:>8} '
          f'{figures["cpu_seconds"]:>6} {figures["wall_seconds"]:>6}  {figures["stored"]}',
          flush=True,
        )
  if args.json:
    print(json.dumps(results, indent=2))
  return 0


if __name__ == '__main__':
  sys.exit(main())
