"""Targets and platforms: app extensions, watchOS, SwiftUI."""
