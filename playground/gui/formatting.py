"""How numbers read in the window: durations, rates, counts, shapes (Qt-free)."""

from __future__ import annotations

import math


def duration(seconds: float) -> str:
    """0:07, 1:05, 1:02:03; a dash when unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    s = int(round(seconds))
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def count(n: int) -> str:
    """1,234,567"""
    return f"{n:,}"


def rate(per_s: float, unit: str = "samples") -> str:
    return f"{per_s:,.0f} {unit}/s" if math.isfinite(per_s) else f"– {unit}/s"


def shape(dims: tuple[int, ...]) -> str:
    """(1, 28, 28) -> 1 × 28 × 28"""
    return " × ".join(str(d) for d in dims) if dims else "–"


def percent(fraction: float | None) -> str:
    return "–" if fraction is None else f"{100 * fraction:.1f}%"


def option_label(name: str) -> str:
    """batch_norm -> Batch norm"""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def epoch_summary(m) -> str:
    """What an epoch's EpochMetrics say, in words: accuracy and loss, a VAE's terms, a GAN's discriminator."""
    v = m.values
    parts = []
    if v.get("test_accuracy") is not None:
        parts.append(f"test accuracy {percent(v['test_accuracy'])}")
    if v.get("test_loss") is not None:
        parts.append(f"test loss {v['test_loss']:.4g}")
    if v.get("test_kl") is not None:
        parts.append(f"(reconstruction {v['test_recon']:.4g}, KL {v['test_kl']:.4g})")
    if v.get("test_r2") is not None:
        parts.append(f"R² {v['test_r2']:.3f}")
    if v.get("val_bpc") is not None:
        parts.append(f"validation {v['val_loss']:.3f} nats ({v['val_bpc']:.3f} bits) per character")
    if v.get("test_d_real") is not None:
        parts.append(f"the discriminator takes {percent(v['test_d_real'])} of real digits and "
                     f"{percent(v['test_d_fake'])} of drawn ones for real")
    if not parts:
        parts = [f"{k} {x:.4g}" for k, x in v.items() if x is not None][:3]
    return " ".join(parts) if v.get("test_kl") is not None else ", ".join(parts)
