"""Every user-facing string has its 简体中文 translation, and the compiled catalogue is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "autosales" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid (with context) -> (translation, fuzzy); a plural entry counts as translated when every form is."""
    entries = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        key = (entry.msgctxt + "\x04" if entry.msgctxt else "") + entry.msgid
        if entry.msgid_plural:
            forms = list(entry.msgstr_plural.values())
            value = forms[0] if forms and all(forms) else ""
        else:
            value = entry.msgstr
        entries[key] = (value, "fuzzy" in entry.flags)
    return entries


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = parse_po(PO)
    assert len(entries) > 100
    missing = sorted(k for k, (v, fuzzy) in entries.items() if not v or fuzzy)
    assert not missing, f"{len(missing)} strings lack a zh_Hans translation, e.g. {missing[:10]}"


def test_compiled_catalogue_is_current():
    assert MO.exists(), "run `make messages` to compile the catalogue"
    assert MO.stat().st_mtime >= PO.stat().st_mtime - 1 or MO.read_bytes(), "compiled catalogue is older"
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        for msgid, (msgstr, _fuzzy) in list(parse_po(PO).items())[:400]:
            if "\x04" in msgid or "%" in msgid or "{" in msgid:
                continue
            assert gettext(msgid) == msgstr, f"{msgid!r} is not compiled; run `make messages`"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_every_source_string_is_in_the_catalogue(tmp_path):
    """Extract the strings of every template and Python file afresh and look each up in the catalogue."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "autosales",
        copy / "autosales",
        ignore=shutil.ignore_patterns("__pycache__", "tests", "static", "*.mo"),
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "PYTHONPATH": str(copy), "AUTOSALES_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "-i",
            "*/tests/*",
            "--ignore",
            "manage.py",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = parse_po(copy / "autosales" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    missing = sorted(k for k, (v, fuzzy) in fresh.items() if not v or fuzzy)
    assert not missing, f"{len(missing)} source strings lack a zh_Hans translation, e.g. {missing[:15]}"
