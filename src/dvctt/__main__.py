"""`python -m dvctt` runs the `dvctt` command."""

from dvctt.cli.main import run

run()
