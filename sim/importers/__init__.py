"""Bring experiments written for other tools into gameday scenarios."""
