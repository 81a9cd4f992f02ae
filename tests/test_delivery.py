"""Delivery: regular files replaced atomically with their permissions kept; devices, FIFOs
and links to them written directly, never replaced; file names that cannot escape."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from strategihalsa.delivery import file_path, write_file
from strategihalsa.errors import OutputError
from strategihalsa.units import Unit


def test_new_file_is_written_whole_with_no_temporary_left(tmp_path):
    target = tmp_path / "rapport.json"
    write_file(target, b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.json"]


def test_replacing_a_report_keeps_its_permissions(tmp_path):
    target = tmp_path / "rapport.csv"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_link_to_a_regular_file_stays_a_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_file(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_dev_null_stays_a_device():
    write_file(Path("/dev/null"), b"data")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_reader_gets_the_bytes(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, b"rapport")
    reader.join(timeout=5)
    assert received == [b"rapport"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_link_to_a_process_descriptor_is_written_through(tmp_path):
    read_end, write_end = os.pipe()
    link = tmp_path / "out"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    write_file(link, b"via fd")
    os.close(write_end)
    assert os.read(read_end, 100) == b"via fd"
    assert link.is_symlink()
    os.close(read_end)


def test_a_folder_that_cannot_be_written_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_file(tmp_path / "missing" / "rapport.txt", b"x")


def test_file_names_never_escape_the_folder(tmp_path):
    unit = Unit("../0680", "../../etc/passwd", "K")
    path = file_path(tmp_path, unit, "json")
    assert path.parent == tmp_path and path.name == "0680-etc-passwd.json"
