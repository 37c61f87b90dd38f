"""Session identity and lifetime: identifiers, delegates, one session per identifier."""
