"""`python -m cli`: the same as the `r57` command."""

from cli.main import main

raise SystemExit(main())
