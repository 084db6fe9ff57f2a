#!/usr/bin/env python3
"""A job-gateway handler in Python, standard library only.

A worker POSTs each attempt of a job here as JSON, signed with Standard
Webhooks headers. This endpoint checks the signature, then answers with
NDJSON: progress lines while it works, and a result line (or an error line)
at the end.

    WEBHOOK_SECRET=whsec_... PORT=8000 python3 handler.py

Replace `run_job` with your work; the rest is what every endpoint needs.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ.get("WEBHOOK_SECRET", "")
TIMESTAMP_TOLERANCE_SECONDS = 5 * 60
MAX_BODY_BYTES = 1024 * 1024


class PermanentError(Exception):
    """Another attempt cannot help (bad input): the job fails at once, refunded."""


def run_job(job, progress):
    """Counts the words of params.text, slowly. `progress(fraction, message)` sends a line."""
    text = job["params"].get("text", "")
    steps = int(job["params"].get("steps", 3))
    if not text.strip():
        raise PermanentError("params.text is empty: there is nothing to count")
    for step in range(1, steps + 1):
        time.sleep(0.05)
        progress(step / steps, f"step {step} of {steps}")
    return {"words": len(text.split())}


def signature_is_valid(secret, headers, body):
    """Standard Webhooks: HMAC-SHA256 of "{id}.{timestamp}.{body}" with the key after "whsec_"."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    # An old (or future) timestamp is a replayed or forged request.
    if abs(time.time() - sent_at) > TIMESTAMP_TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header is a space-separated list of "v1,<base64>"; any one may match.
    for signature in signatures.split(" "):
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def secret_is_usable(secret):
    try:
        return secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) > 0
    except ValueError:
        return False


class JobHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            return self.answer_json(413, {"error": {"message": "body too large"}})
        body = self.rfile.read(length)
        if not signature_is_valid(SECRET, self.headers, body):
            return self.answer_json(401, {"error": {"message": "invalid signature"}})

        # {"jobId", "type", "attempt", "params", "deadline"}; webhook-id is "<jobId>:<attempt>".
        job = json.loads(body)
        self.send_response(200)
        self.send_header("content-type", "application/x-ndjson")
        self.end_headers()
        try:
            result = run_job(job, lambda fraction, message=None: self.send_line({"progress": fraction, "message": message}))
            self.send_line({"result": result})
        except PermanentError as error:
            self.send_line({"error": {"message": str(error), "retryable": False}})
        except (BrokenPipeError, ConnectionResetError):
            # The worker closed the request: the job was cancelled or timed out. Stop working.
            self.log_message("job %s attempt %s: request closed by the worker, stopped", job["jobId"], job["attempt"])
        except Exception as error:  # noqa: BLE001 - any other failure: the worker retries the attempt
            self.send_line({"error": {"message": str(error)}})

    def send_line(self, value):
        # wfile is unbuffered: each line reaches the worker as it is written.
        self.wfile.write((json.dumps(value) + "\n").encode())

    def answer_json(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    if not secret_is_usable(SECRET):
        sys.exit("WEBHOOK_SECRET must be the handler's secret: whsec_ and a base64 key")
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer((host, port), JobHandler)
    # PORT=0 takes any free port: the line says which.
    print(f"listening on http://{host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
