"""The command-line tools, one module per tool.

``tfgen/commands/<name>.py`` holds a tool's flags and ``main``; its ``run()``
is both the console script ``tfgen-<name>`` (see pyproject.toml) and what
``tools/<name>.py`` calls. Importing a command module quiets TensorFlow's
start-up (``cli.quiet_tensorflow``) and then defines its absl flags, which are
global: only a tool's own entry point imports its module, never two in one
process. This package itself imports nothing.
"""


def start(main) -> None:
    """Runs a command module's absl ``main`` as the program being run.

    absl's ``--help`` shows the ``__main__`` module's docstring and the flags
    defined in the file named by ``sys.argv[0]``; here both live in the command
    module, while ``__main__`` is tools/<name>.py or a generated console script.
    """
    import sys

    from absl import flags

    from tfgen import cli

    module = sys.modules[main.__module__]
    entry = sys.modules.get("__main__")
    if entry is not None:
        entry.__doc__ = module.__doc__
    for flag in flags.FLAGS.get_key_flags_for_module(module):
        flags.FLAGS.register_key_flag_for_module(sys.argv[0], flag)
    cli.run(main)
