"""Downloading dataset files with progress and checksum, and the message for when that fails."""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

from playground.core.data.catalogue import NO_DOWNLOAD
from playground.core.data.splits import Progress

NO_DOWNLOAD_SETS = ", ".join(NO_DOWNLOAD)


def fetch(urls: list[str], target: Path, md5: str | None, progress: Progress) -> None:
    """Download the first URL that works into `target` (atomically), checking the MD5 when given."""
    target.parent.mkdir(parents=True, exist_ok=True)
    errors = []
    for url in urls:
        try:
            _fetch_one(url, target, md5, progress)
            return
        except (OSError, urllib.error.URLError, ValueError) as e:
            errors.append(f"{url}: {e}")
    raise OSError("; ".join(errors))


def _fetch_one(url: str, target: Path, md5: str | None, progress: Progress) -> None:
    """Into target.part, then renamed: a download cut short (network, disk, Ctrl+C) leaves no file behind,
    and the next one starts from the beginning."""
    tmp = target.with_name(target.name + ".part")
    try:
        digest = _download(url, tmp, target.name, progress)
        if md5 and digest != md5:
            raise ValueError(f"checksum mismatch for {target.name}")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _download(url: str, tmp: Path, name: str, progress: Progress) -> str:
    """Write the response into `tmp`; its MD5."""
    digest = hashlib.md5()
    with urllib.request.urlopen(url, timeout=20) as response, open(tmp, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while chunk := response.read(1 << 16):
            out.write(chunk)
            digest.update(chunk)
            done += len(chunk)
            progress(f"Downloading {name}", done, total)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """A file that is whole or absent, never half written (a decompressed download cut short by Ctrl+C)."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def missing_message(name: str, folder: Path, missing: list[str], reason: str) -> str:
    """Names what is missing, where it was looked for, and what to do."""
    return (f"{name} is not in {folder} (missing: {', '.join(missing)}) and {reason}. "
            f"Put those files there, point --data-dir or PLAYGROUND_DATA_DIR at a folder that has them, "
            f"or choose a dataset that needs no download: {NO_DOWNLOAD_SETS}")
