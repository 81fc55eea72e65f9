#!/usr/bin/python3
"""Checks a waotp-server token with PyJWT (Debian's python3-jwt and python3-cryptography): an
implementation of JWT and ECDSA that waotp does not contain.

usage: verify_token.py JWKS_FILE TOKEN_FILE AUDIENCE ISSUER

Picks the key named by the token's "kid" from the JWK Set, verifies the ES256 signature, "exp",
"iat", "aud" and "iss", and prints {"header": ..., "claims": ...} as JSON (exit 0). A token it
refuses: the reason on stderr, exit 1.
"""
import json
import sys

import jwt


def refuse(reason):
    print(reason, file=sys.stderr)
    sys.exit(1)


def main():
    jwks_file, token_file, audience, issuer = sys.argv[1:5]
    with open(jwks_file, encoding="utf-8") as f:
        jwks = json.load(f)
    with open(token_file, encoding="utf-8") as f:
        token = f.read().strip()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as e:
        refuse(f"{type(e).__name__}: {e}")
    if header.get("alg") != "ES256":
        refuse(f"unexpected alg {header.get('alg')!r}")
    keys = [k for k in jwks.get("keys", []) if k.get("kid") == header.get("kid")]
    if len(keys) != 1:
        refuse(f"no single key with kid {header.get('kid')!r} in the JWK Set")
    key = jwt.algorithms.ECAlgorithm.from_jwk(json.dumps(keys[0]))
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["ES256"],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
        )
    except jwt.PyJWTError as e:
        refuse(f"{type(e).__name__}: {e}")
    print(json.dumps({"header": header, "claims": claims}))


if __name__ == "__main__":
    main()
