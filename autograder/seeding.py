"""Per-student random inputs that stay the same on every regrade.

The seed of a check's random generator is HMAC-SHA256(course secret,
student id + check title). Two students get different cases; one student gets
the same cases every time; without the secret nobody can predict them. With no
student id the seed is fixed, so local runs are reproducible.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import numpy as np

from autograder.errors import UsageError

DEFAULT_SECRET = b"nn101 local runs: not a secret"
SECRET_ENV = "NN101_SECRET"
SECRET_FILE_ENV = "NN101_SECRET_FILE"
_loaded: list[str] = []


def load_secret(path: str | os.PathLike | None = None) -> bytes:
    """The course secret: from ``path``, $NN101_SECRET_FILE, $NN101_SECRET, or the default."""
    path = path or os.environ.get(SECRET_FILE_ENV)
    if path:
        try:
            secret = Path(path).read_bytes().strip()
        except OSError as exc:
            raise UsageError(f"cannot read the course secret file {path}: {exc.strerror}") from None
        if str(path) not in _loaded:
            _loaded.append(str(path))  # e.g. --secret-file: protected like $NN101_SECRET_FILE
        return secret
    return os.environ.get(SECRET_ENV, "").encode() or DEFAULT_SECRET


def secret_paths() -> list[Path]:
    """Every course secret file this process knows of: $NN101_SECRET_FILE and those loaded.

    The uid level keeps them unreadable to workers (:func:`autograder.isolation.protect`).
    """
    named = os.environ.get(SECRET_FILE_ENV)
    return [Path(p) for p in dict.fromkeys([*([named] if named else []), *_loaded])]


def check_seed(secret: bytes, student_id: str, check_title: str) -> int:
    message = f"{student_id}\0{check_title}".encode()
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")


def check_rng(secret: bytes, student_id: str, check_title: str) -> np.random.Generator:
    return np.random.default_rng(check_seed(secret, student_id, check_title))
