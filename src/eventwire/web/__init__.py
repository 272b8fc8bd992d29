"""The web workbench: a JSON API over an event store and a page to browse, map and verify
events (``eventwire serve``)."""

from eventwire.web.app import create_app

__all__ = ["create_app"]
