#!/usr/bin/python3
"""Validates waotp-server's real answers against its OpenAPI description (server/openapi.yaml).

usage: openapi_responses.py SERVER_BINARY OPENAPI_YAML

First checks the document itself: OpenAPI 3.1, every schema a valid JSON Schema 2020-12 (the
dialect of OpenAPI 3.1), every $ref resolvable, every path parameter declared, operation ids
unique. Debian 12 has no OpenAPI 3.1 document validator, so these checks are written here on
top of python3-jsonschema and python3-yaml.

Then starts `SERVER_BINARY --demo` on a free port of 127.0.0.1, walks a sign-in and every
error it can provoke from outside (create, GET, GET ?wait, a wrong and a right check, resend,
DELETE, /healthz, /readyz, the JWKS; 400, 403, 404, 405, 408, 410, 413, 415, 422, 429, 431),
and validates each answer: its status must be documented for the operation, the headers
marked required must be there, the Content-Type must be one the document names, and the body
must match the schema (a documented answer without content must have no body).

Exit 0 when everything matched; 1 with the mismatches on stderr.
"""
import http.client
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import time

import jsonschema
import yaml
from jsonschema import Draft202012Validator, RefResolver

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


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
    def __init__(self, binary, workdir, extra_env):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWILIO_", "WAOTP_")) and k != "QT_LOGGING_RULES"}
        env.update(HOME=os.path.join(workdir, "home"),
                   XDG_CONFIG_HOME=os.path.join(workdir, "config"),
                   XDG_DATA_HOME=os.path.join(workdir, "share"))
        env.update(extra_env)
        self.process = subprocess.Popen(
            [binary, "--demo", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(workdir, "data")],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.log = b""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stderr], [], [], 0.5)
            if ready:
                chunk = os.read(self.process.stderr.fileno(), 65536)
                if not chunk:
                    break
                self.log += chunk
                m = re.search(rb"listening on http://127\.0\.0\.1:([0-9]+)", self.log)
                if m:
                    self.port = int(m.group(1))
                    return
        self.stop()
        raise RuntimeError("waotp-server did not start:\n" + self.log.decode(errors="replace"))

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

    def fail(self, text):
        self.failures.append(text)
        print("FAIL:", text, file=sys.stderr)

    # Validates @p answer against the response object @p response; @p where names it.
    def validate(self, where, response, answer):
        self.count += 1
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
                expect=None, error=None, optional=False):
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
    w.request("GET", "/healthz", expect=200)
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
    w.request("POST", f"/v1/verifications/{vid}/resend", expect=429, error="rate_limited")
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

    # What the HTTP layer answers before any route: not HTTP, a version it does not speak, a
    # request that stops half-way (the read timeout is 1 s here).
    w.raw(b"GET\r\n\r\n", "HttpLayerBadRequest", 400)
    w.raw(b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", "HttpVersionNotSupported", 505)
    w.raw(b"POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{\"pho",
          "RequestTimeout", 408)

    # The client's allowance of sends (8 per 5 minutes here) runs out.
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

    # Operations other parts of the server answer, when this build serves them.
    metrics = w.request("GET", "/metrics", optional=True)
    if metrics.status == 200 and "_total" not in metrics.body.decode("utf-8", "replace"):
        w.fail("/metrics has no counter")
    w.request("POST", "/v1/twilio/status", b"MessageSid=SM0&MessageStatus=delivered",
              content_type="application/x-www-form-urlencoded",
              headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, optional=True)

    # The code left to expire.
    time.sleep(max(0.0, 30.5 - (time.monotonic() - expiring_since)))
    w.request("POST", f"/v1/verifications/{expiring.get('id')}/check", {"code": "123456"},
              expect=410, error="expired")
    w.request("GET", f"/v1/verifications/{expiring.get('id')}", expect=200)


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
        })
        w = Walk(spec, server.port)
        try:
            walk(w)
        finally:
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
