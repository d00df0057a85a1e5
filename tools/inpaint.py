"""``tfgen-inpaint`` as a script; its flags and main are in tfgen/commands/inpaint.py."""
from tfgen.commands.inpaint import main, run  # noqa: F401  (tests call main directly)

if __name__ == "__main__":
    run()
