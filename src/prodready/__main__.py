"""`python -m prodready` runs the command-line interface."""

from prodready.cli.main import main

raise SystemExit(main())
