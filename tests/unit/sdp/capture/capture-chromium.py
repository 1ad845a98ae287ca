#!/usr/bin/env python3
# Serves tests/unit/sdp on 127.0.0.1, starts headless Chromium (loopback
# only, fake camera and microphone, a fresh profile) on
# capture/chromium-page.html, and writes the SDP the page POSTs back into
# OUTDIR as <name>.sdp. Chromium is stopped by its PID.
import http.server, json, os, shutil, subprocess, sys, tempfile, threading
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
outdir = sys.argv[1]
done = threading.Event()
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=here, **kw)
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        for name, sdp in json.loads(body).items():
            with open(os.path.join(outdir, name + '.sdp'), 'w', newline='') as f:
                f.write(sdp)
        self.send_response(200); self.end_headers(); done.set()
    def log_message(self, *a):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
profile = tempfile.mkdtemp()
proc = subprocess.Popen(['chromium', '--headless', '--no-sandbox', '--disable-gpu',
    '--disable-quic', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--user-data-dir=' + profile,
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    'http://127.0.0.1:%d/capture/chromium-page.html' % server.server_address[1]],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ok = done.wait(60)
proc.terminate()
try:
    proc.wait(10)
except subprocess.TimeoutExpired:
    proc.kill(); proc.wait()
shutil.rmtree(profile, ignore_errors=True)
sys.exit(0 if ok else 1)
