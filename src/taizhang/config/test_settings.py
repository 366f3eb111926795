"""Settings for the test suite and type checking: the real settings, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("TAIZHANG_TESTING", "1")

from taizhang.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed over strength
# django-axes needs the request in authenticate(); the test client's login() has none. The throttling tests
# switch it back on.
AXES_ENABLED = False
