#!/usr/bin/env python3
"""A mentorflow service client in Python, standard library only (docs/SERVICE.md).

    mentorflow serve &                       # http://127.0.0.1:8080
    python3 examples/python/client.py http://127.0.0.1:8080 examples/data/cohort.json

Validates the cohort, matches it (answered in the request when small; a 202 job polled to its
end when large or when asked with Prefer: respond-async), explains one pair, and shows how a
cohort with problems is answered: every issue, with its code and path.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class MentorflowError(Exception):
    """A failure answer: {"error": {"code", "message", "issues"?}}."""

    def __init__(self, status, error):
        super().__init__(f"{status} {error['code']}: {error['message']}")
        self.status = status
        self.code = error["code"]
        self.issues = error.get("issues", [])


def call(base, method, path, body=None, headers=None):
    """One request; returns (status, headers, JSON body) or raises MentorflowError."""
    request = urllib.request.Request(
        base + path,
        data=body,
        method=method,
        headers={"content-type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=900) as response:
            return response.status, response.headers, json.load(response)
    except urllib.error.HTTPError as failure:
        raise MentorflowError(failure.code, json.load(failure)["error"]) from None


def match(base, cohort, prefer_async=False, **query):
    """The match result, waiting for a job when the service answers 202."""
    path = "/v1/match" + ("?" + urllib.parse.urlencode(query) if query else "")
    headers = {"prefer": "respond-async"} if prefer_async else {}
    status, response_headers, body = call(base, "POST", path, cohort, headers)
    if status == 200:
        return body
    location = response_headers["Location"]
    while True:
        _, job_headers, job = call(base, "GET", location)
        if job["state"] == "done":
            return job["result"]
        if job["state"] in ("failed", "cancelled"):
            raise MentorflowError(200, job["error"])
        time.sleep(float(job_headers.get("Retry-After", "1")))


def main(base, cohort_file):
    with open(cohort_file, "rb") as f:
        cohort = f.read()

    _, _, checked = call(base, "POST", "/v1/validate", cohort)
    print(f"valid: {checked['ok']}, {checked['mentees']} mentees, {checked['mentors']} mentors")

    result = match(base, cohort)
    print(f"match: {result['status']}, total fit {result['objective']:.2f}, "
          f"{len(result['pairs'])} pairs, {len(result['unmatched'])} unmatched")

    job_result = match(base, cohort, prefer_async=True, timeLimitMs=60000)
    print(f"as a job: {job_result['status']}, same total: {job_result['objective'] == result['objective']}")

    pair = result["pairs"][0]
    _, _, why = call(base, "POST", f"/v1/explain?mentee={pair['mentee']}&mentor={pair['mentor']}", cohort)
    print(f"{pair['mentee']} with {pair['mentor']}: fit {why['explanation']['total']:.2f}")

    broken = json.loads(cohort)
    broken["mentees"][0]["level"] = "senior"
    try:
        match(base, json.dumps(broken).encode())
    except MentorflowError as e:
        print(f"broken cohort: {e.status} {e.code}")
        for issue in e.issues:
            print(f"  {issue['code']} at {issue['location'].get('path')}: {issue['message']}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080",
         sys.argv[2] if len(sys.argv) > 2 else "examples/data/cohort.json")
