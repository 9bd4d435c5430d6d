#!/usr/bin/env python3
"""A decision log and status collector for the integration tests (OPA's
decision log and status service APIs): POST /logs takes a gzip-compressed
JSON array of events and appends each event, one JSON line, to EVENTS_FILE;
POST /status writes the report to STATUS_FILE. Prints "listening on PORT"
once it accepts connections.

usage: log_collector.py PORT EVENTS_FILE STATUS_FILE
"""
import gzip
import http.server
import json
import sys
import threading

lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        try:
            document = json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        with lock:
            if self.path.endswith("/logs") and isinstance(document, list):
                with open(sys.argv[2], "a") as out:
                    for event in document:
                        out.write(json.dumps(event) + "\n")
            elif self.path.endswith("/status"):
                with open(sys.argv[3], "w") as out:
                    out.write(json.dumps(document))
            else:
                self.send_response(404)
                self.end_headers()
                return
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print("listening on", server.server_address[1], flush=True)
server.serve_forever()
