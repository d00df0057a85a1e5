"""``tfgen-train-classifier`` as a script; the tool is tfgen/commands/train_classifier.py."""
from tfgen.commands.train_classifier import main, run  # noqa: F401  (tests call main)

if __name__ == "__main__":
    run()
