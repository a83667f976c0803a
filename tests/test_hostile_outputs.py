"""Issue 13: bwlint never overwrites an input, never leaves a half-written file, and
says so in one line when it cannot write its report."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest
from hostile import ROOT, example, one_error_line
from runner import bwlint


def _run(tmp_path, *extra: str):
    job, csv = example(tmp_path)
    return bwlint("check", "--isolated", "--job", str(job), str(csv), *extra, cwd=tmp_path)


@pytest.mark.parametrize(
    ("option", "target"),
    [
        ("--output", "leads.csv"),
        ("--output", "job.json"),
        ("--result-preview", "leads.csv"),
        ("--result-preview", "job.json"),
        ("--output", "./sub/../leads.csv"),
    ],
)
def test_an_input_is_never_an_output(tmp_path, option, target):
    (tmp_path / "sub").mkdir()
    before = (ROOT / "examples/leads/leads.csv").read_bytes()
    result = _run(tmp_path, option, target)
    assert result.returncode == 2
    assert "is an input of this run" in one_error_line(result.stderr)
    assert (tmp_path / "leads.csv").read_bytes() == before


def test_an_input_under_another_name_is_recognised_by_identity(tmp_path):
    example(tmp_path)
    os.link(tmp_path / "leads.csv", tmp_path / "hardlink.csv")
    (tmp_path / "symlink.csv").symlink_to(tmp_path / "leads.csv")
    for name in ("hardlink.csv", "symlink.csv"):
        result = _run(tmp_path, "--output", name)
        assert result.returncode == 2, name
        assert "(it is " in one_error_line(result.stderr)


def test_a_preview_directory_never_overwrites_an_input_named_like_a_preview(tmp_path):
    """`--result-preview .` names the preview of a.csv `Leads-a.csv`: an input here."""
    _, csv = example(tmp_path)
    os.rename(csv, tmp_path / "a.csv")
    (tmp_path / "Leads-a.csv").write_bytes((tmp_path / "a.csv").read_bytes())
    before = (tmp_path / "Leads-a.csv").read_bytes()
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "a.csv",
        "Leads-a.csv",
        "--result-preview",
        ".",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "--result-preview" in line and "Leads-a.csv" in line
    assert (tmp_path / "Leads-a.csv").read_bytes() == before
    assert not (tmp_path / "Leads-Leads-a.csv").exists()  # nothing written at all


@pytest.mark.parametrize("option", ["--output", "--result-preview"])
def test_an_empty_output_name_is_refused(tmp_path, option):
    result = _run(tmp_path, option, "")
    assert result.returncode == 2
    assert "is empty" in one_error_line(result.stderr)


def test_output_and_preview_the_same_file_are_refused(tmp_path):
    result = _run(tmp_path, "--output", "r.csv", "--result-preview", "./r.csv")
    assert result.returncode == 2
    assert "the same file" in one_error_line(result.stderr)
    assert not (tmp_path / "r.csv").exists()


def test_a_preview_path_ending_in_slash_is_a_directory(tmp_path):
    result = _run(tmp_path, "--result-preview", "out/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "Leads-leads.csv").is_file()


@pytest.mark.parametrize("option", ["--output", "--result-preview"])
def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path, option):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "out.txt").symlink_to(victim)
    result = _run(tmp_path, option, "out.txt")
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "out.txt").is_symlink()
    assert (tmp_path / "out.txt").read_text()


def test_an_interrupted_write_leaves_the_previous_report(tmp_path, monkeypatch):
    (tmp_path / "report.txt").write_text("previous report\n")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = _run(tmp_path, "--output", "report.txt")
    assert result.returncode == 2
    assert (tmp_path / "report.txt").read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.json", "leads.csv", "report.txt"]


def _interrupt_writes(monkeypatch, interrupt) -> None:
    """Files of os.fdopen write five characters of a piece, call `interrupt()` (which
    may raise), then write the rest."""
    real_fdopen = os.fdopen

    class Interrupted:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[:5])
            self.handle.flush()
            interrupt()
            self.handle.write(text[5:])

        def flush(self):
            self.handle.flush()

        def fileno(self):
            return self.handle.fileno()

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Interrupted(real_fdopen(*a, **k)))


def test_a_failed_write_leaves_the_previous_report(tmp_path, monkeypatch):
    (tmp_path / "report.txt").write_text("previous report\n")

    def disk_full():
        raise OSError(28, "No space left on device")

    _interrupt_writes(monkeypatch, disk_full)
    result = _run(tmp_path, "--output", "report.txt")
    monkeypatch.undo()
    assert result.returncode == 2
    assert "No space left on device" in one_error_line(result.stderr)
    assert (tmp_path / "report.txt").read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.json", "leads.csv", "report.txt"]


def _process(tmp_path, stdout, *args: str) -> subprocess.CompletedProcess:
    job, csv = example(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bwlint", "check", "--isolated", "--job", str(job), str(csv), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def test_closed_standard_output_is_one_line(tmp_path):
    result = _process(tmp_path, subprocess.DEVNULL)
    assert result.returncode == 0
    job, csv = example(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = (
        "import os, subprocess, sys; os.close(1); "
        f"sys.exit(subprocess.call([sys.executable, '-m', 'bwlint', 'check', '--isolated', "
        f"'--job', {str(job)!r}, {str(csv)!r}], close_fds=False))"
    )
    closed = subprocess.run(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True, env=env, timeout=60
    )
    assert closed.returncode == 2
    assert "cannot write the report" in one_error_line(closed.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_standard_output_is_one_line(tmp_path):
    with open("/dev/full", "w") as full:
        result = _process(tmp_path, full)
    assert result.returncode == 2
    assert "cannot write the report" in one_error_line(result.stderr)
    assert "No space left" in result.stderr


@pytest.mark.parametrize("module", ["click", "resource"])
def test_ctrl_c_while_importing_is_one_line(tmp_path, module):
    """A KeyboardInterrupt raised by an import (as Ctrl-C during start-up does): of the
    command line's libraries, or of resource while the address space limit is looked
    at."""
    code = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def imp(name, *a, **k):\n"
        f"    if name == {module!r}: raise KeyboardInterrupt\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = imp\n"
        "from bwlint.entry import run\n"
        "run()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, "check"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr == "bwlint: interrupted\n"


# bwlint's process entry, run once the interpreter is up: it says so on a pipe first. A
# SIGINT before that would land in Python's own start-up (importing runpy, site, the
# package), which no program can guard; the moments that matter are bwlint's own.
STARTED = (
    "import os, sys\n"
    "from bwlint.entry import run\n"
    "os.write(int(sys.argv[1]), b'up')\n"
    "sys.argv = ['bwlint', *sys.argv[2:]]\n"
    "run()\n"
)


def test_ctrl_c_at_any_moment_of_start_up_leaves_no_traceback(tmp_path):
    job, csv = example(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.05, 0.1, 0.15, 0.2, 0.3):  # after the interpreter is up
        ready, said = os.pipe()
        args = ("check", "--isolated", "--job", str(job), str(csv))
        process = subprocess.Popen(
            [sys.executable, "-c", STARTED, str(said), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
            pass_fds=(said,),
        )
        os.close(said)
        os.read(ready, 2)  # the interpreter is up (or the child is gone: b"")
        os.close(ready)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
        assert "Traceback" not in err, (delay, err)
        assert process.returncode in (0, 2), (delay, process.returncode, err)
        if process.returncode == 2:
            assert err.strip() == "bwlint: interrupted", err  # click closes the ^C echo


def test_a_sigterm_while_writing_leaves_the_previous_report_and_no_temporary_file(
    tmp_path, monkeypatch
):
    (tmp_path / "report.txt").write_text("previous report\n")
    # delivered mid-write
    _interrupt_writes(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGTERM))
    result = _run(tmp_path, "--output", "report.txt")
    monkeypatch.undo()
    assert result.returncode == 143
    assert (tmp_path / "report.txt").read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.json", "leads.csv", "report.txt"]


@pytest.mark.parametrize("command", ["check", "init"])
def test_a_device_or_pipe_as_the_output_is_written_into_not_replaced(tmp_path, command):
    """`--output /dev/null` once renamed a regular file over /dev/null (run as root):
    a device, a FIFO or /dev/stdout is written into; only a regular file is replaced."""
    import stat
    import threading

    from bwlint.services.atomic import is_special

    assert is_special(os.devnull) and not is_special(tmp_path) and not is_special(tmp_path / "x")
    job, csv = example(tmp_path)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    if command == "check":
        args = ["check", "--isolated", "--job", str(job), str(csv), "--output", str(fifo)]
    else:
        args = ["init", "--module", "Leads", str(csv), "--out", str(fifo)]
    result = bwlint(*args, cwd=tmp_path, input="\n")
    reader.join(timeout=5)
    if reader.is_alive():  # nothing was written: let the reader's open return
        with contextlib.suppress(OSError):  # ENXIO: the reader closed in between
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a file"
    assert received and received[0], result.stderr
    assert not list(tmp_path.glob(".out.fifo*")), "a temporary file was left"


def test_a_ctrl_c_python_wrapped_while_a_class_is_made_is_an_interruption(monkeypatch, capsys):
    """Before 3.12, a KeyboardInterrupt raised in a descriptor's __set_name__ (a
    dataclass field, while a lazily imported command module is made) reaches bwlint
    as a RuntimeError; it is still 'bwlint: interrupted', not an internal error."""
    import bwlint.cli as cli
    from bwlint.entry import interrupted

    def wrapped(*_args, **_kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance") from exc

    assert interrupted(RuntimeError("x")) is False
    monkeypatch.setattr(cli, "import_module", wrapped)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["check", "x.csv"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == "bwlint: interrupted\n"


def test_a_ctrl_c_in_a_callback_python_cannot_raise_from_is_an_interruption():
    """A KeyboardInterrupt in a finaliser or importlib's lock cleanup reaches only
    sys.unraisablehook ('Exception ignored', a traceback, then lost): bwlint's hook
    makes it 'bwlint: interrupted', exit 2."""
    code = (
        "import sys\n"
        "from bwlint import entry\n"
        "sys.unraisablehook = entry._unraisable\n"
        "class Finalised:\n"
        "    def __del__(self):\n"
        "        raise KeyboardInterrupt\n"
        "Finalised()\n"
        "print('not reached')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stderr, done.stdout) == (2, "bwlint: interrupted\n", "")
