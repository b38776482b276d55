"""Run the mailbot command: python -m mailbot."""

import sys

from mailbot.cli.main import main

sys.exit(main())
