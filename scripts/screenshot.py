"""Screenshots of Caseload for the docs, from the demo data in a throw-away SQLite instance.

    .venv/bin/python scripts/screenshot.py [--full-page] [--out DIR]

Writes docs/screenshot-caseload.png (the caseload page at desktop width, 1280x800) and
docs/screenshot-daily-log.png (the daily log at phone width, 390x844), logged in as the demo
worker wim@example.org. Drives Debian's chromium headless through Playwright (never run
`playwright install`; CASELOAD_CHROMIUM overrides the path). Nothing outside a temporary folder
and the output folder is touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CASELOAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SHOTS = [
    # (path, viewport, file)
    ("/caseload", {"width": 1280, "height": 800}, "screenshot-caseload.png"),
    ("/log", {"width": 390, "height": 844}, "screenshot-daily-log.png"),
]


def make_demo_app(folder: Path, today: date):
    # Keep create_app away from ./instance (its default folder and secret key file).
    os.environ["CASELOAD_INSTANCE"] = str(folder)
    os.environ.setdefault("SECRET_KEY", "screenshot-only")
    from caseload import create_app
    from caseload.demo import create_demo_data
    from caseload.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'caseload.db'}",
        "INSTANCE_DIR": str(folder),
        "CASELOAD_TODAY": today,
        "MAIL_SMTP_HOST": "",
        "TWO_FACTOR_REQUIRED_ROLES": (),  # as in ./scripts/demo
    })
    with app.app_context():
        db.create_all()
        create_demo_data(db.session, today=today)
        try:  # the signals the scheduler would have raised this morning, as in ./scripts/demo
            from caseload.jobs.norm_jobs import daily_evaluation
            daily_evaluation(today)
        except Exception as error:  # noqa: BLE001 - screenshots without signals still help
            print(f"warning: norm check failed, no signals shown: {error!r}", file=sys.stderr)
        db.session.remove()
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the viewport")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="caseload-screenshot-") as tmp:
        from caseload.clock import ORGANISATION_TZ
        app = make_demo_app(Path(tmp), datetime.now(ORGANISATION_TZ).date())
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                     args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=base, locale="nl-NL",
                                              device_scale_factor=1)
                page = context.new_page()
                page.goto("/login")
                page.fill("#email", "wim@example.org")
                page.fill("#password", "demo-wachtwoord")
                page.click("main form button[type=submit]")
                page.wait_for_url("**/caseload")
                for path, viewport, name in SHOTS:
                    page.set_viewport_size(viewport)
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    target = args.out / name
                    page.screenshot(path=str(target), full_page=args.full_page)
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                          f" ({viewport['width']}x{viewport['height']})")
                context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
