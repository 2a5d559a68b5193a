"""A real TCP proxy between a client and PostgreSQL that can lose the reply to a COMMIT.

The proxy parses the frontend half of the PostgreSQL wire protocol (an untyped startup message,
then ``type byte + int32 length`` messages). When armed, the next ``COMMIT`` (simple query,
as psycopg sends it) is forwarded to the server; the server commits and answers, and the
proxy swallows that answer and closes both sockets. The client sees the connection break
while committing, exactly as on a flaky network: it cannot know that its work was saved.

Used by tests/test_lost_reply.py and benchmarks/bench_lost_reply.py.
"""

from __future__ import annotations

import socket
import struct
import threading

_PROTOCOL_3 = 196608  # a StartupMessage; SSLRequest/GSSENCRequest/CancelRequest use other codes


class _Link:
    def __init__(self, proxy: "LostReplyProxy", client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = socket.create_connection(proxy.target, timeout=30)
        self.server.settimeout(None)
        self.dropping = threading.Event()
        self.closed = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._up, daemon=True).start()
        threading.Thread(target=self._down, daemon=True).start()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.server):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _up(self) -> None:
        """client → server, message by message."""
        buf = b""
        typed = False
        try:
            while not self.closed.is_set():
                data = self.client.recv(65536)
                if not data:
                    break
                buf += data
                while True:
                    if not typed:
                        if len(buf) < 8:
                            break
                        n, code = struct.unpack("!ii", buf[:8])
                        if len(buf) < n:
                            break
                        msg, buf = buf[:n], buf[n:]
                        typed = code == _PROTOCOL_3
                        self.server.sendall(msg)
                        continue
                    if len(buf) < 5:
                        break
                    kind = buf[:1]
                    (n,) = struct.unpack("!i", buf[1:5])
                    if len(buf) < n + 1:
                        break
                    msg, buf = buf[: n + 1], buf[n + 1 :]
                    if kind == b"Q" and msg[5:].lstrip().upper().startswith(b"COMMIT") and self.proxy._take():
                        self.dropping.set()  # before the server can answer
                    self.server.sendall(msg)
        except OSError:
            pass
        finally:
            if not self.dropping.is_set():
                self.close()

    def _down(self) -> None:
        """server → client, unless the reply to an armed COMMIT is on its way: then swallow it."""
        try:
            while not self.closed.is_set():
                data = self.server.recv(65536)
                if not data:
                    break
                if self.dropping.is_set():
                    # The server has committed (it answered); the client never hears it.
                    self.proxy._dropped()
                    break
                self.client.sendall(data)
        except OSError:
            pass
        finally:
            self.close()


class LostReplyProxy:
    """``with LostReplyProxy(host, port) as p:`` connect to ``p.port``; ``p.arm()`` loses the
    reply of the next COMMIT that passes through."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._lock = threading.Lock()
        self._armed = 0
        self.commits_lost = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._links: list[_Link] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "LostReplyProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def arm(self, n: int = 1) -> None:
        with self._lock:
            self._armed += n

    @property
    def armed(self) -> int:
        with self._lock:
            return self._armed

    def _take(self) -> bool:
        with self._lock:
            if self._armed > 0:
                self._armed -= 1
                return True
            return False

    def _dropped(self) -> None:
        with self._lock:
            self.commits_lost += 1

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            try:
                link = _Link(self, client)
            except OSError:
                client.close()
                continue
            self._links = [lk for lk in self._links if not lk.closed.is_set()]
            self._links.append(link)
            link.start()

    def close(self) -> None:
        self._stop.set()
        try:
            self._sock.close()
        except OSError:
            pass
        for link in list(self._links):
            link.close()


def proxied_url(url: str, port: int) -> str:
    """``url`` pointed at the proxy (no TLS, so the proxy can read the protocol)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    query = dict(u.query)
    query.update({"sslmode": "disable", "gssencmode": "disable"})
    return u.set(host="127.0.0.1", port=port, query=query).render_as_string(hide_password=False)
