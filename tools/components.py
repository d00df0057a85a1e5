"""``tfgen-components`` as a script; its flags and main are in tfgen/commands/components.py."""
from tfgen.commands.components import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
