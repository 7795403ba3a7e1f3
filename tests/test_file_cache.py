"""Parsed input files kept per process (model/file_cache.py)."""

from model.file_cache import resolved


def test_a_files_key_follows_the_working_directory(tmp_path, monkeypatch):
    """Resolved paths are kept per process (model/file_cache.py), by the folder a relative path was given from:
    the same relative name in another folder is another file.
    """
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "t.csv").write_text(name)
    monkeypatch.chdir(tmp_path / "a")
    first = resolved("t.csv")
    monkeypatch.chdir(tmp_path / "b")
    assert resolved("t.csv") != first and resolved("t.csv") == str((tmp_path / "b" / "t.csv").resolve())
    assert resolved(tmp_path / "a" / "t.csv") == first
