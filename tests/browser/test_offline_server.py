"""Nothing leaves the server: the app started the README's way, with default settings, tries no
address outside loopback while it starts, serves the map to Chromium and refuses a foreign
websocket origin.

The app runs in a new network namespace with only loopback (so nothing can get out even if it
tries) under strace, which records every connect/send of the app's processes and threads; see
``tests/offline_probe.py``. Both tools are Debian's (``strace``, ``util-linux``); the test fails,
never skips, when they are missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser_harness import CHROMIUM
from tests.offline_probe import offences

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# what Streamlit 1.67 did with a headless config.toml that named no browser address
LEAKING_TRACE = """\
15030 connect(8, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("8.8.8.8")}, 16) = -1 ENETUNREACH (Network is unreachable)
15030 connect(8, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)
15030 connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = -1 ENETUNREACH (Network is unreachable)
15030 sendto(6, "\\0", 1, 0, NULL, 0)    = 1
"""
LOCAL_TRACE = """\
17475 bind(8, {sa_family=AF_INET6, sin6_port=htons(8501), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::", &sin6_addr), sin6_scope_id=0}, 28) = 0
17528 connect(4, {sa_family=AF_INET6, sin6_port=htons(8501), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0
17529 connect(5, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0
17530 sendto(5, "x", 1, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 1
17475 sendto(9, "HTTP/1.1 200 OK\\r\\n", 283, 0, NULL, 0) = 283
"""


def test_trace_reader_flags_every_way_out():
    lines = LEAKING_TRACE.splitlines()
    assert offences(LEAKING_TRACE) == [lines[0], lines[2]]
    assert offences(LOCAL_TRACE) == []
    ipv6_out = ('9 connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
                'inet_pton(AF_INET6, "2a05:d018::1", &sin6_addr), sin6_scope_id=0}, 28) = -1')
    dns_on_loopback = ('9 sendto(3, "abc", 3, 0, {sa_family=AF_INET, sin_port=htons(53), '
                       'sin_addr=inet_addr("127.0.0.53")}, 16) = 3')
    assert offences("\n".join([ipv6_out, dns_on_loopback])) == [ipv6_out, dns_on_loopback]
    # a name-service cache that answered may resolve a host outside the namespace; one that is
    # absent (bash asking for the user's shell on a runner without SHELL) sent nothing
    cache_answered = '9 connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = 0'
    cache_absent = ('9 connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) '
                    '= -1 ENOENT (No such file or directory)')
    assert offences("\n".join([cache_answered, cache_absent])) == [cache_answered]


def _namespace_command() -> list[str]:
    """``unshare`` for a new network namespace; without root, inside a new user namespace."""
    missing = [tool for tool in ("unshare", "strace") if shutil.which(tool) is None]
    if missing or not Path(CHROMIUM).exists():
        pytest.fail(f"this test needs {', '.join(missing) or 'Chromium'}: sudo apt-get install -y "
                    "--no-install-recommends strace util-linux chromium")
    return ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--net"]


def test_nothing_leaves_the_server(artifacts):
    out = artifacts / "offline"
    shutil.rmtree(out, ignore_errors=True)
    run = subprocess.run(
        [*_namespace_command(), sys.executable, "-m", "tests.offline_probe", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=400,
    )
    report_file = out / "report.json"
    assert report_file.exists(), f"the probe wrote no report:\n{run.stdout}\n{run.stderr}"
    report = json.loads(report_file.read_text())
    server_log = Path(report["server_log"]).read_text() if Path(report["server_log"]).exists() else ""
    assert "error" not in report, f"{report.get('error')}\nserver log:\n{server_log}"
    assert report["interfaces"] == ["lo"]
    trace = Path(report["trace"]).read_text()
    # the trace is real: it saw the app open its port, 8501 as the README says
    assert "htons(8501)" in trace and "bind(" in trace, trace[:2000]
    reached = "\n".join(offences(trace))
    assert not reached, f"the app reached for the network:\n{reached}\nserver log:\n{server_log}"
    # and it served a working map, asking the browser for nothing outside the server
    assert report["municipalities_drawn"] == 26
    assert report["external_requests"] == []
    assert report["failed_requests"] == []
    assert report["console_errors"] == []
    # a websocket from a foreign origin is refused without looking up the machine's addresses
    assert " 403 " in report["cross_origin_status"]
    # the banner names the configured address instead of looking up the machine's (config.toml)
    assert re.search(r"^\s*URL: http://localhost:8501$", server_log, re.MULTILINE), server_log
