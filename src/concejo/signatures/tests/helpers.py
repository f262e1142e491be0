"""What an independent verifier says of the platform's signatures."""

import shutil
import subprocess

import pytest

PDFSIG = shutil.which("pdfsig")


def pdfsig(content: bytes, tmp_path) -> str:
    """The report of poppler's pdfsig (not the library that signed) on a PDF."""
    if PDFSIG is None:
        pytest.skip("pdfsig (poppler-utils) is not installed; tools/run-tests.sh installs it")
    path = tmp_path / "signed.pdf"
    path.write_bytes(content)
    result = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, check=False)
    return result.stdout + result.stderr
