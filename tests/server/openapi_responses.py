#!/usr/bin/python3
"""Validates waotp-server's real answers against its OpenAPI description (server/openapi.yaml).

usage: openapi_responses.py SERVER_BINARY OPENAPI_YAML

First checks the document itself: OpenAPI 3.1, every schema a valid JSON Schema 2020-12 (the
dialect of OpenAPI 3.1), every $ref resolvable, every path parameter declared, operation ids
unique. Debian 12 has no OpenAPI 3.1 document validator, so these checks are written here on
top of python3-jsonschema and python3-yaml.

Then starts `SERVER_BINARY --demo` on a free port of 127.0.0.1, walks a sign-in and every
error it can provoke from outside (create, GET, GET ?wait, a wrong and a right check, resend,
DELETE, /healthz, /readyz, the JWKS, /metrics, CORS preflights and answers to an allowed
origin, silent sends; 400, 403, 404, 405, 408, 410, 413, 415, 422, 429 with its scopes, 431),
then a second demo server with registration hints on and a small send budget (404 no_account,
409 account_exists, 429 hourly_limit, 503 send_budget_exhausted), and a live server against a
loopback fake of Twilio's Messages API with a public URL (signed and unsigned status
callbacks). Each answer is validated: its status must be documented for the operation, the
headers marked required must be there (and X-Request-Id on every answer, the CORS headers on
every answer to an allowed origin), the Content-Type must be one the document names, and the
body must match the schema (a documented answer without content must have no body).

Exit 0 when everything matched; 1 with the mismatches on stderr.
"""
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import jsonschema
import yaml
from jsonschema import Draft202012Validator, RefResolver

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ORIGIN = "https://app.example.com"
PUBLIC_URL = "https://auth.example.com"
# Obviously fake credentials of the fake Twilio below.
ACCOUNT_SID = "AC" + "0" * 30 + "42"
AUTH_TOKEN = "f" * 32


class Spec:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.resolver = RefResolver.from_schema(self.doc)
        self.templates = []
        for template in self.doc.get("paths", {}):
            pattern = re.sub(r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
            self.templates.append((template, re.compile("^" + pattern + "$")))

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node

    def operation(self, method, path):
        """(template, operation) for a request; (template, None) if the path does not take the
        method; (None, None) for an unknown path."""
        for template, pattern in self.templates:
            if pattern.match(path):
                item = self.doc["paths"][template]
                return template, item.get(method.lower())
        return None, None

    def component_response(self, name):
        return self.doc["components"]["responses"][name]

    def validate_schema(self, schema, instance):
        validator = Draft202012Validator(schema, resolver=self.resolver)
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message}"
                for e in validator.iter_errors(instance)]


# --- the document itself ------------------------------------------------------------------


def check_document(spec):
    doc = spec.doc
    problems = []
    if not str(doc.get("openapi", "")).startswith("3.1."):
        problems.append(f"openapi is {doc.get('openapi')!r}, not 3.1.x")
    for key in ("title", "version"):
        if not doc.get("info", {}).get(key):
            problems.append(f"info.{key} is missing")

    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                try:
                    spec.resolver.resolve(node["$ref"])
                except jsonschema.RefResolutionError as e:
                    problems.append(f"{where}: $ref {node['$ref']} does not resolve ({e})")
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(doc, "#")

    def check_schema(schema, where):
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            problems.append(f"{where}: not a JSON Schema 2020-12: {e.message}")

    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        check_schema(schema, f"components/schemas/{name}")

    def check_content(content, where):
        for media, body in (content or {}).items():
            if "schema" not in body:
                problems.append(f"{where} {media}: no schema")
            else:
                check_schema(body["schema"], f"{where} {media}")

    def check_response(response, where):
        response = spec.resolve(response)
        if not response.get("description"):
            problems.append(f"{where}: no description")
        check_content(response.get("content"), where)
        for name, header in (response.get("headers") or {}).items():
            header = spec.resolve(header)
            if "schema" not in header:
                problems.append(f"{where} header {name}: no schema")

    for name, response in doc.get("components", {}).get("responses", {}).items():
        check_response(response, f"components/responses/{name}")

    seen_ids = set()
    for template, item in doc.get("paths", {}).items():
        names = set(re.findall(r"\{([^}]+)\}", template))
        common = [spec.resolve(p) for p in item.get("parameters", [])]
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            where = f"{method.upper()} {template}"
            op_id = op.get("operationId")
            if not op_id or op_id in seen_ids:
                problems.append(f"{where}: operationId {op_id!r} missing or repeated")
            seen_ids.add(op_id)
            params = common + [spec.resolve(p) for p in op.get("parameters", [])]
            declared = {p["name"] for p in params if p.get("in") == "path"}
            if declared != names:
                problems.append(f"{where}: path parameters {sorted(declared)} != {sorted(names)}")
            for p in params:
                if p.get("in") == "path" and not p.get("required"):
                    problems.append(f"{where}: path parameter {p['name']} must be required")
                if "schema" in p:
                    check_schema(p["schema"], f"{where} parameter {p['name']}")
            if "requestBody" in op:
                check_content(spec.resolve(op["requestBody"]).get("content"), f"{where} request")
            if not op.get("responses"):
                problems.append(f"{where}: no responses")
            for status, response in op.get("responses", {}).items():
                if not re.match(r"^[1-5][0-9][0-9]$", str(status)):
                    problems.append(f"{where}: response key {status!r} is not a status")
                check_response(response, f"{where} {status}")
    return problems


# --- the server ----------------------------------------------------------------------------


class Server:
    def __init__(self, binary, workdir, extra_env, demo=True):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWILIO_", "WAOTP_")) and k != "QT_LOGGING_RULES"}
        env.update(HOME=os.path.join(workdir, "home"),
                   XDG_CONFIG_HOME=os.path.join(workdir, "config"),
                   XDG_DATA_HOME=os.path.join(workdir, "share"))
        env.update(extra_env)
        # The log goes to a file: a pipe nobody reads would stop the server once it is full.
        self.log_path = os.path.join(workdir, "server.log")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [binary] + (["--demo"] if demo else [])
                + ["--listen", "127.0.0.1:0", "--data-dir", os.path.join(workdir, "data")],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.process.poll() is None:
            with open(self.log_path, "rb") as log:
                m = re.search(rb"listening on http://127\.0\.0\.1:([0-9]+)", log.read())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.05)
        self.stop()
        with open(self.log_path, "rb") as log:
            raise RuntimeError("waotp-server did not start:\n" + log.read().decode(errors="replace"))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def get(self, key):
        return self.json.get(key) if isinstance(self.json, dict) else None


class Walk:
    def __init__(self, spec, port):
        self.spec = spec
        self.port = port
        self.failures = []
        self.seen = set()  # (operation id or component, status)
        self.not_served = []  # documented operations this build does not serve yet
        self.count = 0

    def merge(self, other):
        self.failures += other.failures
        self.seen |= other.seen
        self.not_served += other.not_served
        self.count += other.count

    def fail(self, text):
        self.failures.append(text)
        print("FAIL:", text, file=sys.stderr)

    def validate_header(self, where, name, component, answer):
        header = self.spec.resolve({"$ref": f"#/components/headers/{component}"})
        value = answer.headers.get(name.lower())
        if value is None:
            self.fail(f"{where}: header {name} is missing")
            return
        for problem in self.spec.validate_schema(header.get("schema", {}), value):
            self.fail(f"{where}: header {name}: {problem}")

    # Validates @p answer against the response object @p response; @p where names it.
    def validate(self, where, response, answer):
        self.count += 1
        self.validate_header(where, "X-Request-Id", "RequestId", answer)
        response = self.spec.resolve(response)
        for name, header in (response.get("headers") or {}).items():
            header = self.spec.resolve(header)
            value = answer.headers.get(name.lower())
            if value is None:
                if header.get("required"):
                    self.fail(f"{where}: header {name} is missing")
                continue
            for problem in self.spec.validate_schema(header.get("schema", {}), value):
                self.fail(f"{where}: header {name}: {problem}")
        content = response.get("content")
        if not content:
            if answer.body:
                self.fail(f"{where}: documented without a body, got {answer.body[:200]!r}")
            return
        media = answer.headers.get("content-type", "").split(";")[0].strip()
        if media not in content:
            self.fail(f"{where}: Content-Type {media!r} is not one of {sorted(content)}")
            return
        schema = content[media].get("schema", {})
        if media.endswith("json"):
            if answer.json is None and answer.body:
                self.fail(f"{where}: the body is not JSON: {answer.body[:200]!r}")
                return
            instance = answer.json
        else:
            instance = answer.body.decode("utf-8")
        for problem in self.spec.validate_schema(schema, instance):
            self.fail(f"{where}: {problem} in {answer.body[:300]!r}")

    def check(self, method, path, answer):
        """Finds what the document says about this answer and validates it."""
        template, op = self.spec.operation(method, path.split("?")[0])
        if template is None:
            where, response = f"{method} {path} (no route)", self.spec.component_response("NoRoute")
            key = ("NoRoute", answer.status)
            expected = 404
        elif op is None:
            where = f"{method} {template} (method not allowed)"
            response = self.spec.component_response("MethodNotAllowed")
            key = ("MethodNotAllowed", answer.status)
            expected = 405
        else:
            where = f"{method} {template} -> {answer.status}"
            response = op["responses"].get(str(answer.status))
            key = (op["operationId"], answer.status)
            expected = None
            if response is None:
                self.fail(f"{where}: status {answer.status} is not documented: {answer.body[:300]!r}")
                return
        if expected is not None and answer.status != expected:
            self.fail(f"{where}: status {answer.status}, the document says {expected}")
            return
        self.seen.add(key)
        self.validate(where, response, answer)

    def request(self, method, path, body=None, content_type="application/json", headers=None,
                expect=None, error=None, optional=False, cors=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)
        h = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        answer = Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        conn.close()
        if optional and answer.status == 404 and answer.get("error") == "no_route":
            self.validate(f"{method} {path} (not served)", self.spec.component_response("NoRoute"),
                          answer)
            self.not_served.append(f"{method} {path}")
            return answer
        self.check(method, path, answer)
        # An allowed origin on a verification endpoint: the CORS headers on every answer but
        # the preflight's (which has its own, checked by its document). Elsewhere, none.
        if cors and not (method == "OPTIONS" and answer.status == 204):
            where = f"{method} {path} from {ORIGIN}"
            self.validate_header(where, "Access-Control-Allow-Origin", "AccessControlAllowOrigin",
                                 answer)
            self.validate_header(where, "Access-Control-Expose-Headers",
                                 "AccessControlExposeHeaders", answer)
            self.validate_header(where, "Vary", "VaryOrigin", answer)
            if answer.headers.get("access-control-allow-origin") != ORIGIN:
                self.fail(f"{where}: Access-Control-Allow-Origin "
                          f"{answer.headers.get('access-control-allow-origin')!r}")
        elif not cors and "access-control-allow-origin" in answer.headers:
            self.fail(f"{method} {path}: a CORS header where none is allowed")
        if expect is not None and answer.status != expect:
            self.fail(f"{method} {path}: expected {expect}, got {answer.status} {answer.body[:300]!r}")
        if error is not None and answer.get("error") != error:
            self.fail(f"{method} {path}: expected error {error}, got {answer.body[:300]!r}")
        return answer

    def raw(self, data, component, expect):
        """Sends raw bytes (what an HTTP client would not send) and validates the answer against
        the component response @p component. The server closes the connection after it."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=20)
        s.sendall(data)
        received = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            received += chunk
        s.close()
        head, _, body = received.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        m = re.match(r"^HTTP/1\.[01] ([0-9]{3})", lines[0]) if lines else None
        if not m:
            self.fail(f"{component}: no HTTP answer, got {received[:200]!r}")
            return None
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        answer = Answer(int(m.group(1)), headers, body)
        if answer.status != expect:
            self.fail(f"{component}: expected {expect}, got {answer.status} {body[:200]!r}")
            return answer
        self.seen.add((component, answer.status))
        self.validate(f"{component} -> {answer.status}", self.spec.component_response(component),
                      answer)
        return answer


def walk(w):
    phone = "+919876543210"
    health = w.request("GET", "/healthz", headers={"X-Request-Id": "probe-1.a/b+c="}, expect=200)
    if health.headers.get("x-request-id") != "probe-1.a/b+c=":
        w.fail(f"X-Request-Id not echoed: {health.headers.get('x-request-id')!r}")
    w.request("GET", "/readyz", expect=200)
    jwks = w.request("GET", "/.well-known/jwks.json", expect=200)
    if jwks.headers.get("cache-control") != "public, max-age=600":
        w.fail(f"JWKS Cache-Control: {jwks.headers.get('cache-control')!r}")

    # A code that is left to expire (the code lifetime is 30 s here); checked at the end.
    expiring = w.request("POST", "/v1/verifications", {"phone": "+919812345678"}, expect=201)
    expiring_since = time.monotonic()

    # A sign-in: create, look, wait, a wrong code, a resend too soon, a resend, the right code.
    created = w.request("POST", "/v1/verifications",
                        {"phone": "98765 43210", "country": "IN", "flow": "signup",
                         "channel": "whatsapp", "locale": "hi", "nonce": "session-42"}, expect=201)
    vid = created.get("id")
    if not vid or not created.get("demo_code"):
        w.fail(f"create answered without id or demo_code: {created.body!r}")
        return
    w.request("GET", f"/v1/verifications/{vid}", expect=200)
    w.request("GET", f"/v1/verifications/{vid}?wait=2", expect=200)
    wrong = "000000" if created.get("demo_code") != "000000" else "111111"
    w.request("POST", f"/v1/verifications/{vid}/check", {"code": wrong}, expect=422,
              error="wrong_code")
    cooling = w.request("POST", f"/v1/verifications/{vid}/resend", expect=429,
                        error="rate_limited")
    if cooling.get("scope") != "cooldown":
        w.fail(f"a resend too soon answered {cooling.body!r}")
    time.sleep(max(0.0, created.get("resend_in") or 0) + 0.2)
    resent = w.request("POST", f"/v1/verifications/{vid}/resend", {"channel": "whatsapp"},
                       expect=201)
    code = resent.get("demo_code") or ""
    approved = w.request("POST", f"/v1/verifications/{vid}/check", {"code": code}, expect=200)
    if approved.get("phone") != phone:
        w.fail(f"approved the wrong number: {approved.body!r}")
    w.request("GET", f"/v1/verifications/{vid}", expect=200)
    w.request("POST", f"/v1/verifications/{vid}/check", {"code": code}, expect=404,
              error="not_found")

    # A second sign-in of the same number: the account exists now. (After the resend cooldown:
    # the approval does not end it.)
    time.sleep((resent.get("resend_in") or 0) + 0.2)
    again = w.request("POST", "/v1/verifications", {"phone": phone}, expect=201)
    existing = w.request("POST", f"/v1/verifications/{again.get('id')}/check",
                         {"code": again.get("demo_code")}, expect=200)
    if existing.get("account") != "existing":
        w.fail(f"second sign-in: {existing.body!r}")

    # DELETE, and what is left of a deleted verification.
    gone = w.request("POST", "/v1/verifications", {"phone": "+919800000001"}, expect=201)
    w.request("DELETE", f"/v1/verifications/{gone.get('id')}", expect=204)
    w.request("DELETE", f"/v1/verifications/{gone.get('id')}", expect=404, error="not_found")
    w.request("GET", f"/v1/verifications/{gone.get('id')}", expect=200)
    w.request("POST", f"/v1/verifications/{gone.get('id')}/resend", expect=404, error="not_found")

    # Attempts used up: the last wrong code and every later check answer 429.
    tried = w.request("POST", "/v1/verifications", {"phone": "+919800000002"}, expect=201)
    bad = "000000" if tried.get("demo_code") != "000000" else "111111"
    for _ in range(2):
        w.request("POST", f"/v1/verifications/{tried.get('id')}/check", {"code": bad},
                  expect=422, error="wrong_code")
    w.request("POST", f"/v1/verifications/{tried.get('id')}/check", {"code": bad},
              expect=429, error="too_many_attempts")
    w.request("POST", f"/v1/verifications/{tried.get('id')}/check", {"code": bad},
              expect=429, error="too_many_attempts")

    # The request's own errors.
    w.request("POST", "/v1/verifications", {"phone": "12"}, expect=400, error="invalid_phone")
    w.request("POST", "/v1/verifications", {"phone": "+919876543210", "flow": "login"},
              expect=400, error="invalid_value")
    w.request("POST", "/v1/verifications", {"phone": 919876543210}, expect=400,
              error="wrong_type")
    w.request("POST", "/v1/verifications", {"country": "IN"}, expect=400, error="missing_field")
    w.request("POST", "/v1/verifications", b"{not json", expect=400, error="malformed_json")
    w.request("POST", "/v1/verifications", b"phone=1", content_type="text/plain", expect=415,
              error="unsupported_media_type")
    w.request("POST", "/v1/verifications", {"phone": "+14155552671"}, expect=403,
              error="country_not_allowed")
    w.request("POST", f"/v1/verifications/{vid}/check", {"code": "12ab"}, expect=400,
              error="malformed_code")
    w.request("POST", f"/v1/verifications/{vid}/check", {}, expect=400, error="missing_field")
    w.request("POST", f"/v1/verifications/{vid}/resend", {"channel": "pigeon"}, expect=400,
              error="invalid_value")
    w.request("GET", f"/v1/verifications/{vid}?wait=99", expect=400, error="invalid_parameter")
    w.request("GET", "/v1/verifications/NoSuchVerification0000", expect=404, error="not_found")
    w.request("GET", "/v1/nothing-here", expect=404, error="no_route")
    w.request("PUT", "/v1/verifications", {"phone": phone}, expect=405,
              error="method_not_allowed")
    w.request("POST", "/healthz", expect=405, error="method_not_allowed")
    w.request("POST", "/v1/verifications", b'{"phone":"' + b"1" * 17000 + b'"}', expect=413,
              error="body_too_large")
    w.request("GET", "/healthz", headers={"X-Padding": "x" * 9000}, expect=431,
              error="headers_too_large")

    # What the HTTP layer answers before any route: not HTTP, a version it does not speak, no
    # Host, a request that stops half-way (the read timeout is 1 s here).
    w.raw(b"GET\r\n\r\n", "HttpLayerBadRequest", 400)
    w.raw(b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", "HttpVersionNotSupported", 505)
    w.raw(b"GET /healthz HTTP/1.1\r\n\r\n", "BadHost", 400)
    w.raw(b"POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{\"pho",
          "RequestTimeout", 408)

    walk_browser_and_silence(w)

    # The client's allowance of sends (12 per 5 minutes here) runs out.
    for i in range(20):
        a = w.request("POST", "/v1/verifications", {"phone": f"+9198000001{i:02d}"})
        if a.status == 429:
            if a.get("scope") != "ip":
                w.fail(f"the per-client limit answered {a.body!r}")
            break
        if a.status != 201:
            w.fail(f"create {i}: {a.status} {a.body!r}")
            break
    else:
        w.fail("the per-client send limit never answered 429")

    # The metrics, to loopback; not to a client a proxy that is not trusted forwarded.
    metrics = w.request("GET", "/metrics", expect=200)
    text = metrics.body.decode("utf-8", "replace")
    for name in ("waotp_verifications_started_total", 'waotp_rate_limited_total{scope="ip_sends"}',
                 'waotp_rate_limited_total{scope="cooldown"}', "waotp_http_requests_total"):
        if name not in text:
            w.fail(f"/metrics has no {name}")
    w.request("GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, expect=403,
              error="forbidden")
    # A demo server takes no status callback: it has no auth token to check them with.
    w.request("POST", "/v1/twilio/status", b"MessageSid=SM0&MessageStatus=delivered",
              content_type="application/x-www-form-urlencoded",
              headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, expect=403,
              error="invalid_signature")

    return expiring, expiring_since


def walk_browser_and_silence(w):
    """CORS for an allowed origin, and the sends the sign-in/sign-up rule silences."""
    origin = {"Origin": ORIGIN}
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    w.request("OPTIONS", "/v1/verifications", headers=preflight, expect=204, cors=True)
    w.request("OPTIONS", "/v1/verifications/SomeVerification0000000/check", headers=preflight,
              expect=204, cors=True)
    w.request("OPTIONS", "/v1/verifications/SomeVerification0000000",
              headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"}, expect=204,
              cors=True)
    w.request("OPTIONS", "/v1/verifications/SomeVerification0000000/resend", headers=preflight,
              expect=204, cors=True)
    # A preflight for a method the path does not take approves nothing: no CORS header.
    w.request("OPTIONS", "/v1/verifications",
              headers={"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"}, expect=405,
              error="method_not_allowed")
    w.request("OPTIONS", "/v1/verifications", expect=405, error="method_not_allowed")
    w.request("OPTIONS", "/v1/verifications",
              headers={"Origin": "https://elsewhere.example.com",
                       "Access-Control-Request-Method": "POST"}, expect=405)
    w.request("GET", "/healthz", headers=origin, expect=200)  # not a browser endpoint

    # A sign-up from the page; a sign-in of a number without an account (silent: no code).
    signup = w.request("POST", "/v1/verifications", {"phone": "+919700000001", "flow": "signup"},
                       headers=origin, expect=201, cors=True)
    w.request("GET", f"/v1/verifications/{signup.get('id')}", headers=origin, expect=200,
              cors=True)
    w.request("POST", f"/v1/verifications/{signup.get('id')}/check", {"code": "12ab"},
              headers=origin, expect=400, error="malformed_code", cors=True)
    silent = w.request("POST", "/v1/verifications", {"phone": "+919700000002"}, expect=201)
    if silent.get("registration_hints") is not None:
        w.fail(f"a server without registration hints answered as if it had them: {silent.body!r}")
    if silent.get("demo_code") is not None:
        w.fail(f"a silent send showed a code: {silent.body!r}")
    w.request("POST", f"/v1/verifications/{silent.get('id')}/check",
              {"code": silent.get("demo_code") or "123456"}, expect=422, error="wrong_code")
    # A sign-up of a number that has an account (the walk's first one): silent too.
    taken = w.request("POST", "/v1/verifications", {"phone": "+919876543210", "flow": "signup"},
                      expect=201)
    if taken.get("demo_code") is not None:
        w.fail(f"a silent sign-up showed a code: {taken.body!r}")


def walk_hints_and_budget(w):
    """registration_hints on, a budget of 3 sends a minute and 1 send per number an hour."""
    w.request("POST", "/v1/verifications", {"phone": "+919600000001"}, expect=404,
              error="no_account")
    a = w.request("POST", "/v1/verifications", {"phone": "+919600000002", "flow": "signup"},
                  expect=201)
    if a.get("registration_hints") is not True:
        w.fail(f"a server with registration hints did not say so: {a.body!r}")
    w.request("POST", f"/v1/verifications/{a.get('id')}/check", {"code": a.get("demo_code")},
              expect=200)
    w.request("POST", "/v1/verifications", {"phone": "+919600000002", "flow": "signup"},
              expect=409, error="account_exists")
    b = w.request("POST", "/v1/verifications", {"phone": "+919600000003", "flow": "signup"},
                  expect=201)
    time.sleep(1.2)  # the cooldown; resend_in is the hour the cap holds the number back
    capped = w.request("POST", f"/v1/verifications/{b.get('id')}/resend", expect=429,
                       error="rate_limited")
    if capped.get("scope") != "hourly_limit":
        w.fail(f"the hourly cap answered {capped.body!r}")
    # The budget of 3 a minute runs out (whether the refused resend counted is not its
    # business here).
    for i in range(3):
        spent = w.request("POST", "/v1/verifications",
                          {"phone": f"+91960000001{i}", "flow": "signup"})
        if spent.status != 201:
            break
    if spent.status != 503 or spent.get("error") != "send_budget_exhausted" \
            or spent.get("scope") != "minute":
        w.fail(f"the send budget answered {spent.status} {spent.body!r}")


def walk_database_deadline(w, database):
    """database_timeout 300ms while another program holds the account database's write lock:
    a check and a create get 503 database_unavailable; the same code signs up afterwards."""
    a = w.request("POST", "/v1/verifications", {"phone": "+919600000021", "flow": "signup"},
                  expect=201)
    lock = sqlite3.connect(database, isolation_level=None, timeout=5)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        path = f"/v1/verifications/{a.get('id')}/check"
        w.request("POST", path, {"code": a.get("demo_code")}, expect=503,
                  error="database_unavailable")
        # Its statement still waits for the lock: the create's lookup waits behind it.
        w.request("POST", "/v1/verifications", {"phone": "+919600000022", "flow": "signup"},
                  expect=503, error="database_unavailable")
    finally:
        lock.execute("COMMIT")
        lock.close()
    deadline = time.monotonic() + 10
    while True:
        done = w.request("POST", path, {"code": a.get("demo_code")})
        if done.status != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if done.status != 200 or done.get("account") != "created":
        w.fail(f"the held code answered {done.status} {done.body!r}")


class FakeTwilio:
    """Twilio's Messages API on loopback, as much of it as a live server uses."""

    def __init__(self):
        self.messages = []  # (sid, form)
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if not self.path.endswith("/Messages.json"):
                    return self.answer(404, {"code": 20404, "message": "not found", "status": 404})
                sid = "SM%032x" % (len(fake.messages) + 1)
                fake.messages.append((sid, form))
                self.answer(201, {"sid": sid, "status": "queued", "account_sid": ACCOUNT_SID,
                                  "to": form.get("To"), "from": form.get("From"),
                                  "error_code": None, "error_message": None})

            def do_GET(self):
                self.answer(200, {"sid": ACCOUNT_SID, "status": "active", "type": "Full"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def twilio_signature(url, params):
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(AUTH_TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


def walk_live(w, twilio):
    """A live server with a public URL: its sends ask for status callbacks; a signed one moves
    the delivery, an unsigned one is refused."""
    created = w.request("POST", "/v1/verifications", {"phone": "+919500000001", "flow": "signup"},
                        expect=201)
    if not twilio.messages:
        w.fail("the live server sent nothing to the fake Twilio")
        return
    sid, form = twilio.messages[-1]
    # The URL names the send in `v`, whichever the store; Twilio signs it with its query.
    callback = form.get("StatusCallback") or ""
    if not callback.startswith(PUBLIC_URL + "/v1/twilio/status?v="):
        w.fail(f"the send asked for callbacks at {callback!r}")
    path = callback[len(PUBLIC_URL):]
    params = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID}
    body = urllib.parse.urlencode(params).encode()
    form_type = "application/x-www-form-urlencoded"
    w.request("POST", path, body, content_type=form_type,
              headers={"X-Twilio-Signature": twilio_signature(callback, params)}, expect=204)
    moved = w.request("GET", f"/v1/verifications/{created.get('id')}", expect=200)
    if moved.get("delivery") != "delivered":
        w.fail(f"a signed callback did not move the delivery: {moved.body!r}")
    params["MessageStatus"] = "failed"
    w.request("POST", path, urllib.parse.urlencode(params).encode(),
              content_type=form_type,
              headers={"X-Twilio-Signature": twilio_signature(callback, {"MessageSid": sid})},
              expect=403, error="invalid_signature")


def walk_expiry(w, expiring, expiring_since):
    """The code left to expire."""
    time.sleep(max(0.0, 30.5 - (time.monotonic() - expiring_since)))
    w.request("POST", f"/v1/verifications/{expiring.get('id')}/check", {"code": "123456"},
              expect=410, error="expired")
    w.request("GET", f"/v1/verifications/{expiring.get('id')}", expect=200)


def run_server(binary, env, walk_function, spec, w_all, demo=True):
    """Starts a server with @p env in a directory of its own and walks it; adds what it saw to
    @p w_all."""
    with tempfile.TemporaryDirectory() as workdir:
        server = Server(binary, workdir, env, demo=demo)
        w = Walk(spec, server.port)
        try:
            walk_function(w)
        finally:
            server.stop()
        w_all.merge(w)


def main():
    binary, spec_path = sys.argv[1:3]
    spec = Spec(spec_path)
    problems = check_document(spec)
    for p in problems:
        print("DOCUMENT:", p, file=sys.stderr)
    if problems:
        return 1

    with tempfile.TemporaryDirectory() as workdir:
        server = Server(binary, workdir, {
            "WAOTP_CODE_LIFETIME": "30s",
            "WAOTP_MAX_ATTEMPTS": "3",
            "WAOTP_RESEND_COOLDOWN": "1s",
            "WAOTP_MAX_RESEND_COOLDOWN": "1s",
            "WAOTP_SENDS_PER_IP": "12/5m",
            "WAOTP_READ_TIMEOUT": "1s",
            "WAOTP_ALLOWED_ORIGINS": ORIGIN,
        })
        w = Walk(spec, server.port)
        twilio = FakeTwilio()
        try:
            expiring, expiring_since = walk(w)
            # While the first server's code expires: the other two.
            run_server(binary, {"WAOTP_REGISTRATION_HINTS": "on",
                                "WAOTP_MAX_SENDS_PER_MINUTE": "3",
                                "WAOTP_MAX_SENDS_PER_HOUR": "1",
                                "WAOTP_RESEND_COOLDOWN": "1s",
                                "WAOTP_MAX_RESEND_COOLDOWN": "1s"},
                       walk_hints_and_budget, spec, w)
            run_server(binary, {"TWILIO_ACCOUNT_SID": ACCOUNT_SID,
                                "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                                "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
                                "TWILIO_API_BASE_URL": f"http://127.0.0.1:{twilio.port}",
                                "WAOTP_PUBLIC_URL": PUBLIC_URL},
                       lambda live: walk_live(live, twilio), spec, w, demo=False)
            with tempfile.TemporaryDirectory() as deadline_dir:
                slow = Server(binary, deadline_dir, {"WAOTP_DATABASE_TIMEOUT": "300ms"})
                w_slow = Walk(spec, slow.port)
                try:
                    walk_database_deadline(
                        w_slow, os.path.join(deadline_dir, "data", "accounts.sqlite"))
                finally:
                    slow.stop()
                w.merge(w_slow)
            walk_expiry(w, expiring, expiring_since)
        finally:
            twilio.stop()
            server.stop()

    # What was seen, against what the document describes.
    documented = set()
    for template, item in spec.doc["paths"].items():
        for method in METHODS:
            if method in item:
                for status in item[method]["responses"]:
                    documented.add((item[method]["operationId"], int(status)))
    unseen = sorted(documented - w.seen)
    print(f"{w.count} answers validated against {spec_path}; {len(w.seen)} kinds of answer seen, "
          f"{len(unseen)} documented ones not provoked here:")
    for op, status in unseen:
        print(f"  {op} {status}")
    # Every operation's success answer must have been seen.
    for template, item in spec.doc["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                success = [int(s) for s in op["responses"] if str(s).startswith("2")]
                if not any((op["operationId"], s) in w.seen for s in success):
                    print(f"  note: {op['operationId']} never answered {success}", file=sys.stderr)
    for request in w.not_served:
        print(f"  note: {request} is documented but not served by this build (404 no_route)",
              file=sys.stderr)
    if w.failures:
        print(f"{len(w.failures)} answers do not match the document", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
