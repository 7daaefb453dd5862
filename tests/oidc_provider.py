"""A real OpenID provider on loopback for the single sign-on tests: panva's `oidc-provider`
from npm (pinned in tests/oidc/package.json and package-lock.json), installed once into a
cache folder and run with node for the test session.

Without node and npm the tests are skipped, except in CI (CI=true), where that is a failure;
.ci/run installs Debian's nodejs and npm."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "caseload-test"
CLIENT_SECRET = "caseload-test-secret-not-for-production"
REDIRECT_URI = "http://localhost/login/sso/callback"  # the Flask test client's host


@dataclass
class Provider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def _cache_dir() -> Path:
    lock = (HERE / "package-lock.json").read_bytes() + (HERE / "package.json").read_bytes()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "caseload-test-oidc" / hashlib.sha256(lock).hexdigest()[:16]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"The OpenID provider for the SSO tests cannot run: {reason}")
    pytest.skip(f"OpenID provider not available: {reason}")


def install() -> Path:
    """npm ci into the cache folder, once per version of package-lock.json."""
    if not (shutil.which("node") and shutil.which("npm")):
        _unavailable("node and npm are needed (apt-get install nodejs npm)")
    target = _cache_dir()
    if not (target / "node_modules" / "oidc-provider" / "package.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, target / name)
        result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                                cwd=target, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            _unavailable(f"npm ci failed: {result.stderr[-2000:]}")
    # The script runs from the cache folder, so that node finds its node_modules.
    shutil.copy(HERE / "provider.mjs", target / "provider.mjs")
    return target


@pytest.fixture(scope="session")
def oidc_provider():
    folder = install()
    process = subprocess.Popen(["node", "provider.mjs", CLIENT_ID, CLIENT_SECRET, REDIRECT_URI],
                               cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    try:
        line = process.stdout.readline()
        if not line.startswith("issuer "):
            _unavailable(f"the provider did not start ({line!r})")
        yield Provider(issuer=line.split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)
