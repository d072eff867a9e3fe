"""What the kinds that draw digits (GAN, VAE) share: `playground generate` writes their digits as PNG files."""

from __future__ import annotations

from typing import Any

from playground.core.errors import ConfigError


def write_generated(ckpt: Any, request: Any) -> str:
    """Draw request.count digits from random codes (seeded) into request.out; returns what to print."""
    from playground.core.inference.generate import generate_images, write_images

    if not request.out:
        raise ConfigError([("out", f"a {ckpt.spec.arch} draws images: say where with --out DIR")])
    try:
        paths = write_images(generate_images(ckpt, request.count, request.seed), request.out)
    except OSError as e:
        raise ConfigError([("out", f"cannot write into {request.out}: {e.strerror or e}; choose another --out")]) \
            from None
    return f"Wrote {len(paths)} images (28x28, 8-bit grayscale PNG) to {request.out}"
