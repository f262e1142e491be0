from concejo.registry.tests.conftest import isolated_media, registry_setup  # noqa: F401
