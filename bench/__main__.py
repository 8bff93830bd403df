"""`python -m bench`: see bench/BenchMain.py."""

import sys

from bench.BenchMain import main

sys.exit(main())
