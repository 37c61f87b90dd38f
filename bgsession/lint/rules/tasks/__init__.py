"""Tasks and delegate callbacks on background sessions."""
