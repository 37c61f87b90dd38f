"""Objective-C: tree-sitter-objc captures to anchors and facts (classify), and its nodes to the neutral IR (ir)."""
