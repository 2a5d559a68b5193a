"""The windowed program ``GridStation(.exe)``, what the Start menu opens: the client (or, with
a command, that command). It has no console on Windows: standard output and error go to the
log, standard input is empty, and commands that need a terminal say so."""
import sys

from gridstation.logs import detach_console

detach_console()

from gridstation.cli import main  # noqa: E402  (after the streams exist)

sys.exit(main())
