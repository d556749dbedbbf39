"""``python -m careful_polars.cli``."""

from __future__ import annotations

import sys

from careful_polars.cli import main

sys.exit(main())
