"""What every command-line tool shares: quiet start-up, one-line errors.

A tool calls :func:`quiet_tensorflow` before anything imports TensorFlow,
wraps its absl ``main`` in :func:`one_line_errors` and starts with
:func:`run`. Errors a user can fix then print one line on stderr and exit
non-zero; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import warnings

# Errors a user can fix; anything else is a bug and keeps its traceback.
USER_ERRORS = (ValueError, FileNotFoundError, FileExistsError, KeyError,
               RuntimeError, PermissionError)
# Exit status of a run stopped by a signal (the shell's 128 + signal number).
EXIT_SIGINT, EXIT_SIGTERM = 130, 143


def verbose_requested(argv=None) -> bool:
    argv = sys.argv if argv is None else argv
    return any(a in ("--verbose", "--verbose=true", "--verbose=True") for a in argv)


def quiet_tensorflow() -> None:
    """Imports TensorFlow without its start-up chatter on stderr.

    TensorFlow 2.21 prints its C++ start-up lines (oneDNN, CUDA stubs, CPU
    features) through absl before ``TF_CPP_MIN_LOG_LEVEL`` takes effect, so
    the environment variable alone does not hide them. Without
    ``--verbose``, stderr's file descriptor points at a temporary file while
    TensorFlow and Keras import, and the capture is shown only if the import
    fails. Later C++ log lines obey ``TF_CPP_MIN_LOG_LEVEL=3`` (which also
    hides grappler's benign "remapper failed" messages).
    """
    from absl import flags

    if "verbose" not in flags.FLAGS:
        flags.DEFINE_bool("verbose", False,
                          "Show TensorFlow's start-up and C++ log lines.")
    if verbose_requested():
        return
    # Forced, not a default: an inherited level 2 still lets device start-up
    # errors such as "failed call to cuInit" on a machine without a GPU through.
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    # Keras warns that fit() ignores shuffle= for a tf.data input; ours
    # shuffle in the pipeline, so the warning is noise.
    warnings.filterwarnings("ignore", message=r".*`shuffle=True` was passed")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            import keras  # noqa: F401
            import tensorflow  # noqa: F401
        except BaseException:
            os.dup2(saved, 2)
            capture.seek(0)
            sys.stderr.write(capture.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class Interrupted(RuntimeError):
    """Training stopped by SIGINT or SIGTERM; ``exit_code`` is 130 or 143."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def _message(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror and not isinstance(
            err, (FileNotFoundError, FileExistsError)):
        where = f": {err.filename}" if err.filename else ""
        return (f"{err.strerror}{where}; free space or fix the permissions, "
                "or choose another path")
    text = str(err).strip()
    msg = text.splitlines()[0] if text else repr(err)
    if isinstance(err, KeyError):
        msg = msg.strip("'\"")
    return msg


def one_line_errors(main):
    """Wraps an absl ``main`` so that user errors print one line and exit 1."""

    @functools.wraps(main)
    def wrapped(argv):
        from absl import logging

        # absl's flag parsing resets verbosity; quiet the savers' INFO lines.
        logging.set_verbosity(logging.WARNING)
        try:
            return main(argv)
        except Interrupted as err:
            print(f"{_message(err)}", file=sys.stderr)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            sys.exit(EXIT_SIGINT)
        except USER_ERRORS + (OSError,) as err:
            print(f"error: {_message(err)}", file=sys.stderr)
            sys.exit(1)

    return wrapped


def run(main) -> None:
    """``absl.app.run`` whose flag errors (e.g. a mistyped --config.key) are one line."""
    from absl import app, flags

    def parse(argv):
        missing = _missing_config_file(argv)
        if missing:
            print(f"error: config file {missing} not found; pass one of the "
                  "files in configs/ (e.g. --config=configs/dcgan_mnist5k.py)",
                  file=sys.stderr)
            sys.exit(1)
        try:
            return flags.FLAGS(argv)
        except Exception as err:  # absl and ml_collections raise many types
            print(f"error: {explain_flag_error(argv, err)}", file=sys.stderr)
            sys.exit(1)

    app.run(main, flags_parser=parse)


def _config_path(argv):
    for i, a in enumerate(argv):
        if a.startswith("--config="):
            return a.split("=", 1)[1]
        if a == "--config" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def _missing_config_file(argv):
    path = _config_path(argv)
    if path is None:
        return None
    # ml_collections allows "file.py:arg"; the file is the part before it.
    file = path.split(":", 1)[0]
    return None if os.path.isfile(file) else file


def _load_config(argv):
    from tfgen import config as config_lib

    path = _config_path(argv)
    if not path or not os.path.isfile(path):
        return None
    return config_lib.from_file(path)


def explain_flag_error(argv, err) -> str:
    """Names the unknown ``--config.`` key and lists the valid ones."""
    try:
        config = _load_config(argv)
    except Exception as load_err:  # a broken config file
        return f"cannot load the config file: {load_err}"
    for arg in argv:
        if not arg.startswith("--config."):
            continue
        key = arg[len("--config."):].split("=", 1)[0]
        node, walked = config, []
        for part in key.split("."):
            if node is None or not hasattr(node, "keys"):
                break
            if part not in node:
                where = ".".join(walked) or "the config"
                valid = ", ".join(sorted(node.keys()))
                return (f"unknown config key '{key}'; valid keys in {where}: {valid}")
            node = node[part]
            walked.append(part)
    text = str(err).strip().splitlines()
    return text[0] if text else repr(err)
