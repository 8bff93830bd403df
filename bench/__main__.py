"""`python -m bench`: see bench/BenchMain.py; `python -m bench --streams …`: the live-updates
load of bench/BenchStreams.py."""

import sys

if '--streams' in sys.argv[1:]:
  from bench.BenchStreams import main

  sys.exit(main([argument for argument in sys.argv[1:] if argument != '--streams']))

from bench.BenchMain import main

sys.exit(main())
