"""Build step: the wheel carries saved_models/classifiers/ inside the package.

Everything else about the package is declared in pyproject.toml. The project
classifiers behind the fcd/kid/cs/pr metrics stay in the repository's top-level
saved_models/ folder; a wheel (``pip install .``) gets a copy of them as
tfgen/_saved_models/classifiers/, where tfgen/classifiers.py looks first. An
editable install (``pip install -e .``) imports tfgen from the checkout and
reads saved_models/ directly, so nothing is copied for it.
"""

import glob
import os

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = os.path.join("saved_models", "classifiers")
TARGET = os.path.join("tfgen", "_saved_models", "classifiers")


class BuildWithClassifiers(build_py):
    """build_py that also copies the project classifiers into the package."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        files = sorted(glob.glob(os.path.join(SOURCE, "*.keras"))
                       + glob.glob(os.path.join(SOURCE, "*.json")))
        if not any(f.endswith(".keras") for f in files):
            raise FileNotFoundError(f"no classifiers in {SOURCE}; the metrics need them")
        target = os.path.join(self.build_lib, TARGET)
        self.mkpath(target)
        for f in files:
            self.copy_file(f, os.path.join(target, os.path.basename(f)))


setup(cmdclass={"build_py": BuildWithClassifiers})
