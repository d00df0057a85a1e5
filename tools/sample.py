"""``tfgen-sample`` as a script; its flags and main are in tfgen/commands/sample.py."""
from tfgen.commands.sample import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
