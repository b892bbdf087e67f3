"""`python -m harness` is `guideshot`."""

from harness.cli import main

raise SystemExit(main())
