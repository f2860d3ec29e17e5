"""Where the hub meets the screens: Socket.IO and HTTP handlers, payload parsing, fan-out and the server."""
