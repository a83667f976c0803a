"""The one exception that means "bwlint could not do its job" (exit status 2)."""


class UsageError(Exception):
    """Bad arguments, unreadable input or invalid configuration.

    The message is printed as one line on standard error; the CLI exits with 2.
    """
