"""The README's picture of the desk page: a real ``claimcheck serve`` over the seeds, one claim
checked in Debian's chromium, a screenshot at laptop width.

    python -m bench.desk_screenshot                      # docs/desk.png, the default claim
    python -m bench.desk_screenshot --claim "..." --out /tmp/x.png --width 390

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``) and the Playwright Python package.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from bench.server import PROJECT_ROOT, Server

DEFAULT_CLAIM = "Turkey recruited Islamist fighters in Syria to fight in Karabakh"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claim", default=DEFAULT_CLAIM)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "desk.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args()

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise SystemExit("no chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "data", Path(tmp) / "server.log", seeds=True)
        seconds = server.start()
        print(f"server ready in {seconds:.1f} s on port {server.port}")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": args.width, "height": args.height})
                url = f"http://127.0.0.1:{server.port}/?{urlencode({'claim': args.claim})}"
                response = page.goto(url)
                assert response is not None and response.status == 200, response
                print(page.locator(".summary, .empty").first.inner_text())
                args.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out), full_page=args.full_page)
                browser.close()
        finally:
            server.stop()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
