"""Entry point of ``python -m dashboard``."""
import signal
import sys

from dashboard.cli.main import main


def _stop(signum, frame):
    # A plain SIGTERM would end the process without unwinding; raising SystemExit runs every `finally`,
    # so scratch files are removed and half-written files are discarded when a command is stopped.
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _stop)
sys.exit(main())
