import sys

from remitctl.cli import main

sys.exit(main())
