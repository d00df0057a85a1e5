"""``tfgen-export`` as a script; its flags and main are in tfgen/commands/export.py."""
from tfgen.commands.export import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
