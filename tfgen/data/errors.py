"""The one error type of the data package."""


class DataError(ValueError):
    """Missing, corrupt or mismatched data; the message says what to do."""
