"""``tfgen-train`` as a script; its flags and main are in tfgen/commands/train.py."""
from tfgen.commands.train import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
