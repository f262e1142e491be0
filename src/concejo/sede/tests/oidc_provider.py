"""A small real OpenID provider on loopback, for the sede's sign-in tests.

It serves discovery, its keys (a fresh RSA key), an authorize endpoint that
sends the browser back with a code, a token endpoint that checks the client,
the redirect address and the PKCE verifier before returning a signed ID
token, and an end-session endpoint. Tests change what the next token says
(`claims`, `tamper`) or which key signs it (`signing_key`).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # quiet: tests read the provider's state instead
        return

    def _send(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        provider = self.server.provider
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/.well-known/openid-configuration":
            self._send(200, provider.discovery())
        elif url.path == "/jwks":
            self._send(200, provider.jwks())
        elif url.path == "/authorize":
            self._send(302, headers={"Location": provider.authorize(query)})
        elif url.path == "/userinfo":
            status, body = provider.userinfo_answer(self.headers.get("Authorization", ""))
            self._send(status, body)
        elif url.path == "/logout":  # ends its session, then back to the relying party
            provider.logouts.append(query)
            self._send(302, headers={"Location": query.get("post_logout_redirect_uri", "/")})
        else:
            self._send(404, {"error": "not_found"})

    def do_POST(self):
        provider = self.server.provider
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path != "/token":
            self._send(404, {"error": "not_found"})
            return
        status, body = provider.token(form, self.headers.get("Authorization", ""))
        self._send(status, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    provider: LoopbackOidcProvider


class LoopbackOidcProvider:
    client_id = "concejo-sede"
    client_secret = "secreto-de-pruebas"
    kid = "clave-1"

    def __init__(self) -> None:
        self.key = new_key()
        self.signing_key = self.key
        self.claims: dict = {}  # who signs in next (nif, given_name ...)
        self.tamper: dict = {}  # claims to overwrite in the next ID token (exp, aud, nonce ...)
        self.userinfo: dict = {}  # claims given only at the userinfo endpoint, not in the ID token
        self.userinfo_sub = ""  # answer userinfo about this subject instead (a wrong answer)
        self.access: dict[str, str] = {}  # access token -> the subject it was issued for
        self.error = ""  # answer the next authorization with this error instead of a code
        self.end_session = True
        self.codes: dict[str, dict] = {}
        self.logouts: list[dict] = []
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.provider = self
        self.port = self.httpd.server_address[1]
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.thread: threading.Thread | None = None

    def start(self) -> LoopbackOidcProvider:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread = None

    # --- what the endpoints answer -------------------------------------------------

    def discovery(self) -> dict:
        found = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }
        if self.end_session:
            found["end_session_endpoint"] = f"{self.issuer}/logout"
        return found

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict) -> str:
        back = query.get("redirect_uri", "")
        answer = {"state": query.get("state", "")}
        if self.error:
            answer["error"] = self.error
        elif (
            query.get("response_type") != "code"
            or query.get("client_id") != self.client_id
            or query.get("code_challenge_method") != "S256"
            or "openid" not in query.get("scope", "").split()
        ):
            answer["error"] = "invalid_request"
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": back,
                "nonce": query.get("nonce"),
                "challenge": query.get("code_challenge"),
            }
            answer["code"] = code
        return f"{back}?{urllib.parse.urlencode(answer)}"

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if challenge.decode() != grant["challenge"]:
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": self.client_id, "sub": secrets.token_hex(8),
            "iat": now, "exp": now + 300, "nonce": grant["nonce"], **self.claims, **self.tamper,
        }  # fmt: skip
        token = jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})
        access = secrets.token_urlsafe(16)
        self.access[access] = claims["sub"]
        return 200, {"access_token": access, "token_type": "Bearer",
                     "expires_in": 300, "id_token": token}  # fmt: skip

    def userinfo_answer(self, authorization: str) -> tuple[int, dict]:
        sub = self.access.get(authorization.removeprefix("Bearer "))
        if sub is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": self.userinfo_sub or sub, **self.userinfo}


def browser_get(url: str) -> str:
    """What a browser does at the provider: one GET, and where it is sent next."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        response.read()
        assert response.status == 302, response.status
        return response.getheader("Location")
    finally:
        connection.close()
