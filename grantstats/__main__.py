"""`python -m grantstats …`"""

import sys

from grantstats import cli

cli.STANDALONE[0] = True
sys.exit(cli.main())
