"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py unionportal.wsgi``) and for make bench.

Sync workers, behind a buffering proxy (nginx): a sync worker belongs to one connection
from accept to close, so a browser that is slow to send, or a connection left open and
idle, would hold a whole worker; nginx holds those and hands gunicorn whole requests.
Served directly, 50 people pausing between pages queued for seconds behind five workers
in the load test. Threaded workers avoid that but share one interpreter lock among a
worker's requests, which gave a worse tail under the same load (docs/PERFORMANCE.md).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 120
