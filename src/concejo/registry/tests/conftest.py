"""Test data shared by the registry tests (fixtures live in src/conftest.py)."""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def stored_files(media_root):
    root = media_root / "registry"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
