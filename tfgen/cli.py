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
        from absl import logging

        # absl's flag parsing resets verbosity; quiet the savers' INFO lines.
        logging.set_verbosity(logging.WARNING)
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
    """Hides TensorFlow's C++ log lines (call before importing it).

    Level 3 also hides grappler's benign "remapper failed" messages; Python
    exceptions are unaffected.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def run(main) -> None:
    """``absl.app.run`` whose flag errors (e.g. a mistyped --config.key) are one line."""
    from absl import app, flags

    def parse(argv):
        try:
            return flags.FLAGS(argv)
        except Exception as err:  # absl and ml_collections raise many types
            print(f"error: {explain_flag_error(argv, err)}", file=sys.stderr)
            sys.exit(1)

    app.run(main, flags_parser=parse)


def _load_config(argv):
    import importlib.util

    path = next((a.split("=", 1)[1] for a in argv if a.startswith("--config=")), None)
    if not path or not os.path.isfile(path):
        return None
    spec = importlib.util.spec_from_file_location("_tfgen_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config()


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
