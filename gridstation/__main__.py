import multiprocessing
import sys

from gridstation.cli import main

# gridstation serve --workers N starts worker processes; a frozen (PyInstaller) build needs this.
multiprocessing.freeze_support()
sys.exit(main())
