#!/usr/bin/env python3
"""A local stand-in for the GitHub REST API's issue comments, for .ci/test_action_scripts.sh.

    fake_github_api.py PORT_FILE TOKEN

Listens on 127.0.0.1 on a free port (written to PORT_FILE once it listens) and serves, as
GitHub does (status codes, JSON shapes, pagination by per_page/page):

    GET   /repos/OWNER/NAME/issues/N/comments?per_page=&page=   list a pull request's comments
    POST  /repos/OWNER/NAME/issues/N/comments                   create one   -> 201
    PATCH /repos/OWNER/NAME/issues/comments/ID                  update one   -> 200
    GET   /__requests, /__comments/N                            (test only) what it saw, holds

Requests without `Authorization: Bearer TOKEN` get 401. Pull request 7 starts with comments
from people, one of which quotes a marker in its text (not on its first line), and more than
a page of them, so that the upsert has to page. Stops on SIGTERM.
"""
import json
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

port_file, token = sys.argv[1], sys.argv[2]
lock = threading.Lock()
requests = []
comments = {}  # pr -> list of comment dicts
next_id = [1000]


def comment(pr, body, login="a-reviewer", kind="User"):
    next_id[0] += 1
    cid = next_id[0]
    return {
        "id": cid,
        "node_id": f"IC_{cid}",
        "url": f"https://api.github.com/repos/acme/infra/issues/comments/{cid}",
        "html_url": f"https://github.com/acme/infra/pull/{pr}#issuecomment-{cid}",
        "issue_url": f"https://api.github.com/repos/acme/infra/issues/{pr}",
        "user": {"login": login, "id": 1, "type": kind},
        "created_at": "2026-12-04T10:00:00Z",
        "updated_at": "2026-12-04T10:00:00Z",
        "author_association": "MEMBER",
        "body": body,
    }


comments["7"] = [comment("7", f"looks good {i}") for i in range(104)]
comments["7"].insert(3, comment("7", "FYI the bot writes <!-- migcheck:migcheck-production --> on its first line"))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            if url.path == "/__requests":
                return self.reply(200, requests)
            if url.path.startswith("/__comments/"):
                return self.reply(200, comments.get(url.path.rsplit("/", 1)[1], []))
            requests.append({"method": method, "path": self.path})
            if self.headers.get("Authorization") != f"Bearer {token}":
                return self.reply(401, {"message": "Bad credentials"})
            if self.headers.get("X-GitHub-Api-Version") != "2022-11-28":
                return self.reply(400, {"message": "missing X-GitHub-Api-Version"})
            m = re.fullmatch(r"/repos/acme/infra/issues/(\d+)/comments", url.path)
            if m and method == "GET":
                query = parse_qs(url.query)
                per_page = min(int(query.get("per_page", ["30"])[0]), 100)
                page = int(query.get("page", ["1"])[0])
                items = comments.get(m.group(1), [])
                return self.reply(200, items[(page - 1) * per_page: page * per_page])
            if m and method == "POST":
                new = comment(m.group(1), json.loads(body)["body"], "github-actions[bot]", "Bot")
                comments.setdefault(m.group(1), []).append(new)
                return self.reply(201, new)
            m = re.fullmatch(r"/repos/acme/infra/issues/comments/(\d+)", url.path)
            if m and method == "PATCH":
                for items in comments.values():
                    for c in items:
                        if c["id"] == int(m.group(1)):
                            c["body"] = json.loads(body)["body"]
                            c["updated_at"] = "2026-12-04T11:00:00Z"
                            return self.reply(200, c)
                return self.reply(404, {"message": "Not Found"})
            return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402

os.replace(port_file + ".tmp", port_file)
server.serve_forever()
