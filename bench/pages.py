"""Page weight on a phone: bytes transferred for the demo course's outline and player pages,
cold (empty cache) and warm (visited before), and their Lighthouse mobile scores.

    .venv/bin/python -m bench.pages

Seeds the demo course into a throw-away SQLite instance, signs the demo learner in, redeems a
code and marks the pre-test done (so the first video is open), serves the app with gunicorn
and measures with Debian's Chromium:

- bytes: what went over the wire (Chrome DevTools' encodedDataLength: headers and compressed
  bodies) for the page and everything it loads, video segments and the poster excluded;
  targets: outline ≤ 15 KB, player ≤ 200 KB cold, each ≤ 5 KB warm.
- Lighthouse 12.2.3 (npm, node_modules/.bin/lighthouse), mobile preset (simulated slow 4G, a
  mid-range phone), signed in through a Cookie header; targets 100/100/100 for performance,
  accessibility and best practices.

Results land in bench/results/pages.json. Lighthouse is skipped (and said so) when it is not
installed (`npm ci` installs it as a development dependency).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import flask_migrate
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from bench import common
from lms import create_app
from lms.accounts.models import User
from lms.catalog.models import Course, ModuleKind
from lms.demo.media import prepare_demo_video
from lms.demo.seed import COURSE_SLUG, seed_demo
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.models import ModuleProgress

CHROMIUM = os.environ.get("ALUR_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-dev-shm-usage", "--disable-quic"]
LIGHTHOUSE = common.ROOT / "node_modules" / ".bin" / "lighthouse"
LEARNER, PASSWORD = "peserta@alur.test", "alur-peserta-2026"
TARGETS = {"outline": {"cold": 15 * 1024, "warm": 5 * 1024},
           "player": {"cold": 200 * 1024, "warm": 5 * 1024}}
PHONE = {"width": 390, "height": 844}


def _seed(database_url: str, instance: Path) -> dict[str, str]:
    """The demo course with the learner enrolled and the pre-test done; the two page paths."""
    app = create_app("development", SQLALCHEMY_DATABASE_URI=database_url,
                     MEDIA_ROOT=str(instance / "media"), HUEY_IMMEDIATE=True,
                     DEMO_VIDEO_SIZE=os.environ.get("DEMO_VIDEO_SIZE", "1280x720"))
    with app.app_context():
        flask_migrate.upgrade()
        result = seed_demo(prepare_video=prepare_demo_video)
        db.session.commit()
        learner = db.session.scalar(select(User).where(User.email == LEARNER))
        enrollment = learning.redeem_code(learner, result.codes[0])
        modules = enrollment.version.modules
        pretest = next(m for m in modules if m.kind == ModuleKind.QUIZ)
        video = next(m for m in modules if m.kind == ModuleKind.VIDEO)
        db.session.add(ModuleProgress(enrollment=enrollment, module=pretest,
                                      completed_at=datetime.now(timezone.utc)))
        db.session.commit()
        assert db.session.scalar(select(Course).where(Course.slug == COURSE_SLUG))
        return {"outline": f"/enrollments/{enrollment.id}",
                "player": f"/enrollments/{enrollment.id}/modules/{video.id}"}


class WireBytes:
    """Bytes over the wire per request, from the DevTools protocol, for one page."""

    def __init__(self, page) -> None:
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.requestWillBeSent",
                    lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.cdp.on("Network.loadingFinished",
                    lambda e: self.sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))

    def reset(self, clear_cache: bool) -> None:
        if clear_cache:
            self.cdp.send("Network.clearBrowserCache")
        self.urls.clear()
        self.sizes.clear()

    def total(self) -> tuple[int, list[tuple[str, int]]]:
        counted = [(self.urls.get(rid, "?"), size) for rid, size in self.sizes.items()
                   if not _excluded(self.urls.get(rid, ""))]
        return sum(size for _, size in counted), sorted(counted, key=lambda c: -c[1])


def _excluded(url: str) -> bool:
    """Video segments and the poster are not page weight (the targets exclude them)."""
    return url.endswith(".ts") or "/poster" in url


def _visit(page, wire: WireBytes, url: str, player: bool, cold: bool) -> dict:
    wire.reset(clear_cache=cold)
    page.goto(url, wait_until="load")
    if player:
        page.locator(".pc-play:not([disabled])").wait_for()
    page.wait_for_load_state("networkidle")
    total, items = wire.total()
    return {"bytes": total, "requests": [{"url": u.split("?")[0], "bytes": b} for u, b in items]}


def measure_bytes(base: str, paths: dict[str, str]) -> tuple[dict, str]:
    results: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, locale="id-ID", base_url=base)
        page = context.new_page()
        page.goto("/login")
        page.locator("#email").fill(LEARNER)
        page.locator("#password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        wire = WireBytes(page)
        for name, path in paths.items():
            player = name == "player"
            cold = _visit(page, wire, base + path, player, cold=True)
            warm = _visit(page, wire, base + path, player, cold=False)
            results[name] = {"path": path, "cold": cold, "warm": warm}
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
        page.goto("about:blank")
        browser.close()
    return results, cookie


def lighthouse(url: str, cookie: str, out_dir: Path) -> dict | None:
    if not LIGHTHOUSE.exists():
        print("bench.pages: Lighthouse is not installed (npm ci); scores skipped")
        return None
    report = out_dir / f"lighthouse-{abs(hash(url))}.json"
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               "--only-categories=performance,accessibility,best-practices",
               "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
               f"--extra-headers={json.dumps({'Cookie': cookie})}"]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(command, check=True, env=env, timeout=300)
    data = json.loads(report.read_text())
    scores = {key: round(category["score"] * 100) for key, category in data["categories"].items()}
    failed = sorted(audit_id for audit_id, audit in data["audits"].items()
                    if audit.get("score") is not None and audit["score"] < 1
                    and audit.get("scoreDisplayMode") in ("binary", "numeric"))
    metrics = {name: data["audits"][name]["displayValue"]
               for name in ("first-contentful-paint", "largest-contentful-paint",
                            "total-blocking-time", "cumulative-layout-shift")
               if name in data["audits"]}
    return {"scores": scores, "not_perfect": failed, "metrics": metrics}


def main() -> None:
    instance = Path(tempfile.mkdtemp(prefix="alur-bench-pages-"))
    try:
        database_url = f"sqlite:///{instance / 'alur.sqlite3'}"
        paths = _seed(database_url, instance)
        env = common.app_env(database_url, instance, MEDIA_ROOT=str(instance / "media"))
        with common.gunicorn("wsgi:app", env, workers=1, threads=4, ready_path="/login",
                             warmup_s=0) as base:
            weights, cookie = measure_bytes(base, paths)
            scores = {name: lighthouse(base + path, cookie, instance)
                      for name, path in paths.items()}
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    rows = []
    for name, result in weights.items():
        score = scores.get(name) or {}
        rows.append([name, f"{result['cold']['bytes'] / 1024:.1f} KB",
                     f"{result['warm']['bytes'] / 1024:.1f} KB",
                     f"{TARGETS[name]['cold'] // 1024} / {TARGETS[name]['warm'] // 1024} KB",
                     "/".join(str(score.get("scores", {}).get(k, "-"))
                              for k in ("performance", "accessibility", "best-practices"))])
    common.print_table(["page", "cold", "warm", "target cold / warm", "Lighthouse P/A/BP"], rows)
    path = common.write_results("pages", {"bytes": weights, "targets_bytes": TARGETS,
                                          "lighthouse": scores,
                                          "measured_at": datetime.now(timezone.utc).isoformat()})
    print(f"results: {path}")


if __name__ == "__main__":
    main()
