"""``python -m bot`` is the ``maillage`` command."""

from bot.cli import main

raise SystemExit(main())
