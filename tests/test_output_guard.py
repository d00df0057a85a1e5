"""tfgen.atomic_write: commands refuse to replace a user's file and never leave half a file."""

import os
import subprocess
import sys

import pytest

from tfgen.atomic_write import refuse_existing, write_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_refuse_existing_names_the_file_and_the_fix(tmp_path):
    out = tmp_path / "result.json"
    refuse_existing(str(out), overwrite=False)  # absent: fine
    out.write_text("mine")
    with pytest.raises(FileExistsError, match=r"--json=.*result\.json exists; pass --overwrite"):
        refuse_existing(str(out), overwrite=False, flag="--json")
    refuse_existing(str(out), overwrite=True)
    refuse_existing("", overwrite=False)  # no output asked for


def test_refuse_existing_checks_the_files_written_beside_it(tmp_path):
    out = tmp_path / "run[1].json"  # a glob character in the name is taken literally
    (tmp_path / "run[1]_modes.png").write_bytes(b"png")
    (tmp_path / "run1_modes.png").write_bytes(b"png")
    with pytest.raises(FileExistsError, match=r"run\[1\]_modes\.png exists;"):
        refuse_existing(str(out), overwrite=False, siblings="_*.png")
    refuse_existing(str(tmp_path / "other.json"), overwrite=False, siblings="_*.png")


def test_write_text_replaces_whole_or_not_at_all(tmp_path):
    out = tmp_path / "sub" / "a.json"
    write_text(str(out), "one")
    write_text(str(out), "two")
    assert out.read_text() == "two"
    assert sorted(os.listdir(out.parent)) == ["a.json"]  # no temporary file left


@pytest.mark.parametrize("script,flag", [("consensus.py", "--out"), ("bigan.py", "--json_out")])
def test_a_benchmark_refuses_an_existing_out_before_it_trains(tmp_path, script, flag):
    out = tmp_path / "mine.json"
    out.write_text("users")
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "bench", script),
                           f"{flag}={out}"], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert "mine.json exists; pass --overwrite" in last and "Traceback" not in proc.stderr
    assert out.read_text() == "users"
