"""``python -m symcheck``: the same entry point as the console script."""
import sys

from symcheck.cli import main

sys.exit(main())
