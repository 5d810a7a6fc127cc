"""Allow `python -m advocate_tui`."""

from advocate_tui.cli import main

raise SystemExit(main())
