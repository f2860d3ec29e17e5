"""The hall on a real network: its own certificates, its addresses, and the plain-HTTP door to trust them."""
