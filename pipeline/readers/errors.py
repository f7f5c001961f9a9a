"""The one error a reader raises for a file it cannot read; its message is shown to the user."""


class ReadError(Exception):
    """A file that cannot be read, with a reason a person understands."""
