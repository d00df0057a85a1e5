"""``tfgen-translate`` as a script; its flags and main are in tfgen/commands/translate.py."""
from tfgen.commands.translate import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
