import sys

from gridstation.cli import main

sys.exit(main())
