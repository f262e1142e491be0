import pytest
from django.core.cache import cache

from concejo.organization.tests.factories import OfficeFactory, UnitFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OUTBOX_MODE = "inline"
    cache.clear()
    return settings.MEDIA_ROOT


@pytest.fixture
def registry_setup(council):
    from concejo.core.actors import Actor
    from concejo.organization.services import entity_update

    general = UnitFactory(entity=council, dir3_code="LA0000011", name="Registro General")
    licences = UnitFactory(entity=council, dir3_code="LA0000031", name="Servicio de Licencias")
    works = UnitFactory(entity=council, dir3_code="LA0000032", name="Servicio de Obras")
    entity_update(actor=Actor.system(), entity=council, name=council.name, registry_unit=general)
    council.refresh_from_db()
    office = OfficeFactory(entity=council, code="O00000001", name="Oficina de la Plaza Mayor")
    return {"general": general, "licences": licences, "works": works, "office": office}


def stored_files(media_root):
    root = media_root / "registry"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
