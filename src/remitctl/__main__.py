import sys

from remitctl._start import main

sys.exit(main())
