"""bgsession: generate and lint iOS background URLSession code in Swift and Objective-C."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
