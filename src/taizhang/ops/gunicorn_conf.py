"""gunicorn's own settings, read by `taizhang serve` (`-c python:taizhang.ops.gunicorn_conf`).

gunicorn's messages (workers starting, timeouts) use the same format as the app's: JSON lines when
LOG_FORMAT=json. Its access log stays off: the app logs each request itself (taizhang.ops.logs), masked.
"""

import os

if os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "taizhang.ops.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
