#!/usr/bin/python3
"""Runs the platform backend's token check exactly as README.md prints it (the Python block that
uses PyJWKClient), against a running waotp-server.

usage: readme_backend_check.py README ISSUER TOKEN_FILE NONCE [TOKEN_FILE NONCE ...]

The README's server URL (https://auth.example.com) is replaced by ISSUER. Every (token, nonce)
pair goes through the README's verified_phone() in order, with one set of seen token ids, as a
backend would check them one after another. Prints a JSON list, one entry per pair:
{"ok": true, "phone": ..., "sub": ...} or {"ok": false, "error": ...}. Exit 1 if the README has
no such block.
"""
import json
import re
import sys

README_URL = "https://auth.example.com"


def readme_check(readme):
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r"^```python\n(.*?)^```", text, re.S | re.M):
        if "PyJWKClient" in block and "def verified_phone" in block:
            return block
    return None


def main():
    readme, issuer = sys.argv[1:3]
    pairs = sys.argv[3:]
    block = readme_check(readme)
    if block is None:
        print("README.md has no Python block with PyJWKClient and verified_phone", file=sys.stderr)
        sys.exit(1)
    namespace = {}
    exec(compile(block.replace(README_URL, issuer), "README.md", "exec"), namespace)
    import jwt

    seen = set()
    results = []
    for token_file, nonce in zip(pairs[0::2], pairs[1::2]):
        with open(token_file, encoding="utf-8") as f:
            token = f.read().strip()
        try:
            phone, sub = namespace["verified_phone"](token, nonce, seen)
            results.append({"ok": True, "phone": phone, "sub": sub})
        except jwt.PyJWTError as e:
            results.append({"ok": False, "error": str(e)})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
