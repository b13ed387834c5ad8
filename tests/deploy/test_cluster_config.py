"""The nginx configuration deploy/cluster.py renders: nginx accepts it (`nginx -t`), with and without the editor,
for readers on several machines; bad addresses are refused with a message naming them."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from deploy.cluster import COOKIE, render_main, render_site
from tests.browser.conftest import ROOT

from .conftest import nginx_binary

READERS = ["10.0.0.11:8501", "10.0.0.11:8502", "10.0.0.12:8501"]


def nginx_accepts(tmp_path, site_text: str) -> subprocess.CompletedProcess:
    if nginx_binary() is None:
        pytest.skip("nginx is missing (Debian's nginx; scripts/test.sh installs it with apt-get)")
    site = tmp_path / "dashboard.conf"
    site.write_text(site_text)
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_main(site, tmp_path))
    (tmp_path / "temp").mkdir()
    command = [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.parametrize("editor", ["10.0.0.11:8600", None], ids=["with-editor", "readers-only"])
def test_nginx_accepts_the_rendered_configuration(tmp_path, editor):
    text = render_site(READERS, editor, "127.0.0.1:8080", tmp_path / "access.log", ("127.0.0.1", "10.0.0.0/24"))
    checked = nginx_accepts(tmp_path, text)
    assert checked.returncode == 0, checked.stderr
    assert not re.search(r"@[A-Z_]+@|@editor-", text), "a placeholder or section mark is left"
    for address in READERS:
        assert f"server {address} max_fails=" in text
    assert f"hash $cookie_{COOKIE}" not in text and "hash $dashboard_affinity consistent;" in text
    assert ("location /edit/" in text) == (editor is not None)
    assert ("allow 10.0.0.0/24; deny all;" in text) == (editor is not None)


def test_config_command_prints_the_site_file_and_refuses_a_bad_address():
    command = [sys.executable, "-m", "deploy.cluster", "config", "--reader", READERS[0], "--editor", "10.0.0.11:8600"]
    printed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    assert "upstream dashboard_readers" in printed.stdout and "listen 80;" in printed.stdout
    refused = subprocess.run(command[:-2] + ["--reader", "10.0.0.12"], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "'10.0.0.12'" in refused.stderr and "HOST:PORT" in refused.stderr


def test_the_app_processes_trust_the_local_proxy_for_the_visitors_address(monkeypatch):
    from deploy.cluster import app_environment

    monkeypatch.delenv("DASHBOARD_TRUSTED_PROXIES", raising=False)
    assert app_environment(None, None, False)["DASHBOARD_TRUSTED_PROXIES"] == "127.0.0.1"
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "10.0.0.5")
    assert app_environment(None, None, False)["DASHBOARD_TRUSTED_PROXIES"] == "10.0.0.5"
