#!/usr/bin/env python3
"""A local stand-in for Secrets Manager's GetSecretValue, for check.sh only.

The plans of the full-load and cutover phases read the target cluster's managed
secret (data.aws_secretsmanager_secret_version); this answers with the value the
fixture model gives it. Listens on 127.0.0.1:PORT (default 18555) until killed.
"""
import http.server
import json
import sys

ARN = ("arn:aws:secretsmanager:eu-west-2:123456789012:secret:"
       "rds!cluster-8c3f1a2e-5b7d-4e9f-a1c3-6d2b8e4f0a7c-Xk3pQz")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("X-Amz-Target", "").endswith("GetSecretValue"):
            status, body = 200, {
                "ARN": ARN,
                "Name": "rds!cluster-8c3f1a2e-5b7d-4e9f-a1c3-6d2b8e4f0a7c",
                "VersionId": "6b1f0e9a-2c3d-4e5f-8a7b-9c0d1e2f3a4b",
                "SecretString": json.dumps({"username": "postgres", "password": "CANARY-SECRET-7f3a9"},
                                           separators=(",", ":")),
                "VersionStages": ["AWSCURRENT"],
                "CreatedDate": 1795170291.0,
            }
        else:
            status, body = 400, {"__type": "UnknownOperationException"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18555
    http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
