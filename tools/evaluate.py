"""``tfgen-evaluate`` as a script; its flags and main are in tfgen/commands/evaluate.py."""
from tfgen.commands.evaluate import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
