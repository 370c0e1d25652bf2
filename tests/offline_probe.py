"""Does anything leave the server? Start the app the README's way and record every address it
tries to reach.

Run inside a fresh network namespace that has only loopback (``unshare --net``, see
``tests/browser/test_offline_server.py``), so nothing can leave the machine even when the app
tries: the probe brings loopback up, starts ``scripts/run-app.sh`` with no extra options and
default settings under ``strace`` (``connect``/``send*``/``bind`` of every process and thread),
loads the map page in Debian's Chromium, sends one cross-origin websocket handshake (the request
that makes Streamlit look up the machine's addresses), stops the app and writes ``report.json``
and ``trace.txt`` into the folder it is given. :func:`offences` reads the trace.

Usage: ``python -m tests.offline_probe OUT_DIR`` (inside the namespace).
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8501  # the README's port: free, as the namespace is new
SYSCALLS = "connect,sendto,sendmsg,sendmmsg,bind"
CROSS_ORIGIN = "http://workshop.example"

_ADDRESS = re.compile(r"\{sa_family=(AF_INET6?),([^{}]*)\}")
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_IPV4 = re.compile(r'inet_addr\("([^"]+)"\)')
_IPV6 = re.compile(r'inet_pton\(AF_INET6, "([^"]+)"')
_NAME_SERVICE = re.compile(r'sun_path="[^"]*(nscd|resolve)[^"]*"')


def _is_loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def offences(trace: str) -> list[str]:
    """The traced calls that reach for the network: an IPv4/IPv6 address outside loopback, a DNS
    server (port 53, any address) or a name-service cache that answered (nscd or resolved live
    outside the network namespace, so a host lookup through them could go out).

    ``bind`` lines are the server's own sockets and never offend.

    >>> len(offences('7 connect(8, {sa_family=AF_INET, sin_port=htons(1), '
    ...               'sin_addr=inet_addr("8.8.8.8")}, 16) = -1 ENETUNREACH'))
    1
    >>> offences('7 connect(9, {sa_family=AF_INET, sin_port=htons(8501), '
    ...          'sin_addr=inet_addr("127.0.0.1")}, 16) = 0')
    []
    """
    found = []
    for line in trace.splitlines():
        call = line.split(None, 1)[1] if " " in line else line
        if call.startswith("bind("):
            continue
        if _NAME_SERVICE.search(call):
            # a lookup that reached the cache may resolve a host outside this namespace; one
            # that found no cache (bash looking up the user when SHELL is unset) sends nothing,
            # and a host lookup that goes on to DNS is caught below by its port 53
            if not re.search(r"\)\s*=\s*-1\b", call):
                found.append(line)
            continue
        for _family, fields in _ADDRESS.findall(call):
            port = _PORT.search(fields)
            host = _IPV4.search(fields) or _IPV6.search(fields)
            if (port and int(port.group(1)) == 53) or (host and not _is_loopback(host.group(1))):
                found.append(line)
                break
    return found


def only_loopback() -> list[str]:
    """The network interfaces of this namespace (``/proc/net/dev``)."""
    lines = Path("/proc/net/dev").read_text().splitlines()[2:]
    return sorted(line.split(":", 1)[0].strip() for line in lines if ":" in line)


def loopback_up() -> None:
    """Bring ``lo`` up (it starts down in a new namespace), without needing iproute2."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, siocgifflags, request)[:18])[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


def _default_environment(home: str) -> dict[str, str]:
    """This environment without smartmap's or Streamlit's settings and with an empty home (no
    user-level Streamlit configuration): the app's defaults."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SMARTMAP_", "STREAMLIT_"))}
    env["HOME"] = home
    # as on a bare CI runner: no SHELL, so every bash asks the user database (nscd) for it
    env.pop("SHELL", None)
    return env


def _wait_healthy(proc: subprocess.Popen, timeout: float = 120) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode}")
        try:
            with opener.open(f"http://127.0.0.1:{PORT}/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not become healthy within {timeout:.0f} s")


def cross_origin_handshake() -> str:
    """Open the app's websocket from a foreign origin; return the server's status line."""
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {CROSS_ORIGIN}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", PORT), timeout=30) as s:
        s.sendall(request.encode("ascii"))
        reply = s.recv(4096).decode("latin-1")
    return reply.split("\r\n", 1)[0]


def load_map(report: dict[str, object], screenshot: Path) -> None:
    """Open the map page in Chromium and record what it showed and what it tried to fetch."""
    from playwright.sync_api import sync_playwright

    from tests.browser_harness import CHROMIUM, CHROMIUM_ARGS, open_session, wait_for_map

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=[*CHROMIUM_ARGS, "--no-proxy-server"])
        try:
            session = open_session(browser)
            session.page.goto(f"http://127.0.0.1:{PORT}/")
            frame = wait_for_map(session, timeout=120_000)
            report["municipalities_drawn"] = frame.locator("path.sm-municipality").count()
            session.page.wait_for_timeout(500)
            session.page.screenshot(path=str(screenshot))
            report["external_requests"] = session.external
            report["failed_requests"] = session.failed
            report["console_errors"] = session.console_errors
        finally:
            browser.close()


def _stop(proc: subprocess.Popen) -> None:
    """Stop the app (strace's child) with SIGTERM; strace ends with it and flushes the trace.
    Whatever is left of the process group is killed."""
    if proc.poll() is None:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        for pid in children.read_text().split() if children.exists() else []:
            os.kill(int(pid), signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    trace, log = out_dir / "trace.txt", out_dir / "server.log"
    report: dict[str, object] = {"interfaces": only_loopback(), "trace": str(trace),
                                 "server_log": str(log)}
    if report["interfaces"] != ["lo"]:
        report["error"] = "not in a namespace with only loopback: refusing to start the app"
        (out_dir / "report.json").write_text(json.dumps(report, indent=1))
        return 2
    loopback_up()
    proc = None
    with tempfile.TemporaryDirectory() as home, open(log, "w") as log_file:
        try:
            proc = subprocess.Popen(
                ["strace", "-f", "-qq", "--seccomp-bpf", "-e", f"trace={SYSCALLS}",
                 "-o", str(trace), str(ROOT / "scripts" / "run-app.sh")],
                cwd=ROOT, env=_default_environment(home), stdin=subprocess.DEVNULL,
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
            )
            _wait_healthy(proc)
            load_map(report, out_dir / "map.png")
            report["cross_origin_status"] = cross_origin_handshake()
            time.sleep(3)  # a lookup it started (1 s timeouts) is in the trace by now
        except Exception:  # reported to the test, which fails with it
            report["error"] = traceback.format_exc()
        finally:
            if proc is not None:
                _stop(proc)
    report["server_exit"] = proc.returncode if proc is not None else None
    (out_dir / "report.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
