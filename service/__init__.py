"""The two faces of assess: the `assess` command line (and, later, the HTTP service)."""
