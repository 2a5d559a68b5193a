"""The console program ``gridstation-cli(.exe)``: every command of the README, with its output,
exit codes and ``--password-stdin``."""
import sys

from gridstation.cli import main

sys.exit(main())
