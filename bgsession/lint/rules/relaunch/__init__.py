"""Relaunch and the completion handler: handleEvents, urlSessionDidFinishEvents, the main thread."""
