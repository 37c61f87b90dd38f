"""Swift: tree-sitter-swift captures to anchors and facts (classify), and its nodes to the neutral IR (ir)."""
