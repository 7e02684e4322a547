"""`python -m grantstats …`"""

import sys

from grantstats.cli import main

sys.exit(main())
