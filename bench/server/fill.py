#!/usr/bin/python3
"""Starts N verifications on a demo waotp-server (POST /v1/verifications, a sign-up of a number
of its own each) and checks none, over 16 kept-alive connections. Prints "created=N failed=M".
FIRST (default 0) numbers the first verification's number, so that fills one after the other use
numbers of their own.

usage: fill.py URL N [FIRST]
"""
import http.client
import sys
import threading
import urllib.parse

url, total = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2])
first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
workers = 16
counts = {"created": 0, "failed": 0}
lock = threading.Lock()


def work(index):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    created = failed = 0
    for n in range(index, total, workers):
        # +91 8, 9 digits: apart from the numbers signin.lua uses (+91 9...).
        body = '{"phone":"+918%09d","flow":"signup"}' % (first + n)
        conn.request("POST", "/v1/verifications", body, {"Content-Type": "application/json"})
        answer = conn.getresponse()
        answer.read()
        if answer.status == 201:
            created += 1
        else:
            failed += 1
    conn.close()
    with lock:
        counts["created"] += created
        counts["failed"] += failed


threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"created={counts['created']} failed={counts['failed']}")
