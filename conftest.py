import os

# Tests run the production settings (DEBUG off) over plain HTTP on localhost.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
