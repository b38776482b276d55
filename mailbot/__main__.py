"""Run the mailbot command: python -m mailbot."""

import sys

from mailbot.cli import main

sys.exit(main())
