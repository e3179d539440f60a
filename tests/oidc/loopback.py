"""A real OpenID Connect provider (the npm package oidc-provider under Node) on loopback,
and a client for its development sign-in pages, for the single sign-on tests. The test
command installs the package into tests/oidc/node_modules (npm install)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "r57-ledger"
CLIENT_SECRET = "r57-test-secret-not-for-production"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def provider(redirect_uri: str) -> Iterator[str]:
    """The provider's issuer URL, for as long as the block runs."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("The single sign-on tests need Node and oidc-provider: run "
                    "`npm install --prefix tests/oidc` (./dev test does).", pytrace=False)
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs"), str(port), redirect_uri], cwd=HERE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "ready <issuer>" once it listens
        if not line.startswith("ready"):
            pytest.fail(f"The OpenID provider did not start: {line!r}", pytrace=False)
        for _ in range(50):
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).close()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_INPUT = re.compile(r"<input([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def sign_in_at_provider(url: str, login: str, callback: str) -> str:
    """Go through the provider's sign-in and consent pages as `login`; the URL it sends the
    browser back to (our callback, with code and state)."""
    with requests.Session() as http:
        return _through(http, url, login, callback)


def _through(http: requests.Session, url: str, login: str, callback: str) -> str:
    response = http.get(url, allow_redirects=False, timeout=10)
    for _ in range(12):
        location = response.headers.get("Location")
        if location:
            target = urljoin(response.url, location)
            if target.startswith(callback):
                return target
            response = http.get(target, allow_redirects=False, timeout=10)
            continue
        form = _FORM.search(response.text)
        assert form, response.text[:500]
        data = {}
        for attributes in _INPUT.findall(form[2]):
            found = dict(_ATTR.findall(attributes))
            if "name" in found:
                data[found["name"]] = unescape(found.get("value", ""))
        if "login" in data:
            data.update(login=login, password="any")
        response = http.post(urljoin(response.url, unescape(form[1])), data=data,
                             allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")
