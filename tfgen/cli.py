"""What every command-line tool shares: user errors as one line, exit 1."""

from __future__ import annotations

import functools
import os
import sys

# Errors a user can fix; anything else is a bug and keeps its traceback.
USER_ERRORS = (ValueError, FileNotFoundError, FileExistsError, KeyError,
               RuntimeError)


def one_line_errors(main):
    """Wraps an absl ``main`` so that user errors print one line and exit 1."""

    @functools.wraps(main)
    def wrapped(argv):
        try:
            return main(argv)
        except USER_ERRORS as err:
            msg = str(err).strip().splitlines()[0] if str(err).strip() else repr(err)
            if isinstance(err, KeyError):
                msg = msg.strip("'\"")
            print(f"error: {msg}", file=sys.stderr)
            sys.exit(1)

    return wrapped


def quiet_tensorflow() -> None:
    """Hides TensorFlow's C++ start-up chatter (call before importing it)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
