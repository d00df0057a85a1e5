"""A wheel of tfgen, installed outside the checkout, runs its console scripts.

``test_wheel_installs_and_its_console_scripts_run`` builds the wheel the way
``pip install .`` does (offline: ``--no-build-isolation`` with the setuptools of
this environment), installs it into a temporary virtual environment and, from
a folder outside the repository, trains, samples and evaluates through
``tfgen-train``, ``tfgen-sample`` and ``tfgen-evaluate``. TensorFlow is not
installed again: a ``.pth`` file in the temporary environment appends this
environment's site-packages, whose own ``.pth`` files (the editable install of
the checkout among them) Python then does not run, so ``import tfgen`` can
only find the wheel's copy.
"""

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What `pip install .` reads from a checkout: the sdist's contents.
BUILD_INPUTS = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "tfgen",
                "saved_models"]
TIMEOUT = 300


def pyproject_scripts():
    text = open(os.path.join(ROOT, "pyproject.toml")).read()
    section = text.split("[project.scripts]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^(tfgen-[\w-]+) = "([\w.]+):run"$', section, re.M))


def test_each_tool_has_a_console_script_and_a_tools_wrapper():
    scripts = pyproject_scripts()
    modules = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "tfgen", "commands"))
                     if f.endswith(".py") and f != "__init__.py")
    assert sorted(scripts) == sorted("tfgen-" + m.replace("_", "-") for m in modules)
    for script, target in scripts.items():
        name = target.rsplit(".", 1)[1]
        assert target == f"tfgen.commands.{name}", script
        wrapper = open(os.path.join(ROOT, "tools", f"{name}.py")).read()
        assert f"from tfgen.commands.{name} import main, run" in wrapper, name


def test_readme_names_every_console_script():
    readme = open(os.path.join(ROOT, "README.md")).read()
    missing = [s for s in pyproject_scripts() if f"`{s}`" not in readme]
    assert not missing, f"README.md's install section does not name {missing}"


def run(cmd, cwd, env, timeout=TIMEOUT):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout)
    assert p.returncode == 0, f"{cmd}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
    return p


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder, site-packages, environment) of a venv holding only the wheel."""
    version = importlib.metadata.version("setuptools")
    assert int(version.split(".")[0]) >= 77, (
        f"setuptools {version} cannot build tfgen (pyproject's [build-system] needs "
        ">=77); reinstall the test extra: pip install -e '.[test]' (make test does)")
    tmp = tmp_path_factory.mktemp("install")
    src, dist, venv = tmp / "src", tmp / "dist", tmp / "venv"
    # Built from a copy, so that setuptools' build/ and egg-info never touch (or
    # come stale from) the checkout.
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in BUILD_INPUTS:
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "TFGEN_"))}
    env.update(PYTHONNOUSERSITE="1", TFGEN_CACHE_DIR=str(tmp / "cache"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(dist), str(src)], tmp, env)
    (wheel,) = dist.glob("tfgen-*.whl")
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    python = venv / "bin" / "python"
    run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", "-q",
         str(wheel)], tmp, env)
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
               tmp, env).stdout.strip()
    # TensorFlow and the other dependencies come from this environment; added
    # after the install, so that pip never sees (nor offers to replace) the
    # checkout's editable tfgen.
    with open(os.path.join(site, "_tfgen_test_dependencies.pth"), "w") as f:
        f.write(sysconfig.get_path("purelib") + "\n")
    return venv / "bin", site, env


@pytest.mark.slow
def test_wheel_installs_and_its_console_scripts_run(installed, tmp_path):
    bin_dir, site, env = installed
    elsewhere = tmp_path / "elsewhere"  # outside the checkout: no configs/, no tfgen/
    elsewhere.mkdir()
    # The wheel's package, with the classifiers inside it; the command package
    # imports neither TensorFlow nor a command module.
    probe = run([str(bin_dir / "python"), "-c", (
        "import json, sys, tfgen, tfgen.commands; "
        "print(json.dumps([tfgen.__file__, sorted(m for m in sys.modules "
        "if m.startswith(('tensorflow', 'keras', 'tfgen.commands.')))]))")],
        elsewhere, env)
    tfgen_file, heavy = json.loads(probe.stdout)
    assert tfgen_file.startswith(site + os.sep), tfgen_file
    assert heavy == []
    packaged = os.path.join(site, "tfgen", "_saved_models", "classifiers")
    for name in ("mnist.keras", "mnist.json", "fashion_mnist.keras", "fashion_mnist.json"):
        assert os.path.isfile(os.path.join(packaged, name)), name
    for script in pyproject_scripts():
        assert (bin_dir / script).is_file(), script

    # 1. Train a tiny GAN; the config is an absolute path into the checkout.
    config = os.path.join(ROOT, "configs", "gan_ring8.py")
    p = run([str(bin_dir / "tfgen-train"), f"--config={config}", "--workdir=run",
             "--config.train.steps=20", "--config.train.checkpoint_every=20"],
            elsewhere, env)
    assert "step 20/20" in p.stdout + p.stderr
    assert (elsewhere / "run" / "export" / "saved_model.pb").is_file()
    assert (elsewhere / "run" / "checkpoints" / "ckpt-20.index").is_file()

    # 2. Sample from its export.
    p = run([str(bin_dir / "tfgen-sample"), "--model=run/export", "--num=16",
             "--out=grid.png", "--seed=1"], elsewhere, env)
    assert (elsewhere / "grid.png").stat().st_size > 0, p.stdout
    assert "Wrote 16 samples" in p.stdout

    # 3. A metric that needs the packaged MNIST classifier, on an untrained
    # 28x28 generator exported here (its quality is irrelevant).
    from tfgen import export
    from tfgen.networks.dcgan import dcgan_generator

    model = export.export_generator(dcgan_generator(8, (28, 28, 1), width=8),
                                    str(tmp_path / "digits"), 8,
                                    metadata={"dataset": "mnist5k"})
    p = run([str(bin_dir / "tfgen-evaluate"), f"--model={model}", "--dataset=mnist5k",
             "--metrics=fcd", "--num_samples=200"], elsewhere, env)
    result = json.loads(p.stdout[p.stdout.index("{"):])
    assert result["metrics"]["frechet_classifier_distance"] > 0
    assert "test accuracy 0.9" in result["feature_network"]  # the packaged mnist.json
