"""The `konspekt` command line: a thin shell over core.Engine."""
