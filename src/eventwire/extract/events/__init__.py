"""The event stage (see ``find`` for its parts): ``find_events(doc, ...)`` gives every event an
article tells, one record each."""

from eventwire.extract.events.find import MIN_CONFIDENCE, find_events

__all__ = ["MIN_CONFIDENCE", "find_events"]
