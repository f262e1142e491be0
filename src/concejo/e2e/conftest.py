"""End-to-end tests in real headless Chromium (Debian's package) driven by Playwright."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (tools/run-tests.sh installs Debian's chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def loopback_tiles(settings):
    """Map tiles from the test server itself: the browser never leaves loopback."""
    settings.MAP_TILE_URL = "/static/tiles/{z}/{x}/{y}.png"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="es-ES", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(page):
    """Save a screenshot of the current page for reviewers (var/e2e-screenshots/, not in git)."""
    from django.conf import settings

    folder = settings.REPO_ROOT / "var" / "e2e-screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take
