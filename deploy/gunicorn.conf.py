"""Gunicorn settings for AutoSales: `gunicorn -c deploy/gunicorn.conf.py autosales.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: the application is CPU-bound and nginx buffers the slow clients, so each worker
# takes one request at a time and the kernel hands the next connection to whichever worker is free.
# (Threaded workers holding keep-alive connections can leave one worker with most of the load.)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60
graceful_timeout = 30
keepalive = 5
# Workers are replaced after this many requests (0: never), a guard against slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
