"""`python -m integrity verify BUNDLE`: check an export bundle with no database."""

import sys

from integrity.offline import main

sys.exit(main())
