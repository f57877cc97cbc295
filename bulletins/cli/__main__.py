"""``python -m bulletins.cli``: the console command without its script."""

import sys

from bulletins.cli import main

sys.exit(main())
