"""The `dvctt` command."""
