"""Adapters around the engine: command line, rendering (and later the Webex service)."""
