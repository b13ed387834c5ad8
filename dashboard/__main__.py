"""Entry point of ``python -m dashboard``."""
import sys

from dashboard.cli import main

sys.exit(main())
