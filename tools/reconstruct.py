"""``tfgen-reconstruct`` as a script; its flags and main are in tfgen/commands/reconstruct.py."""
from tfgen.commands.reconstruct import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
