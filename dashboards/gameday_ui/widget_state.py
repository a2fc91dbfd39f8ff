"""Widget defaults that follow what they depend on.

Streamlit keeps a keyed widget's value across reruns, so a control set for one scenario
or strategy would otherwise carry over to the next (a strategy list emptied, a filter
left on a service the new scenario lacks, a slider still holding another strategy's
coverage). ``follow`` names what a group of widgets depends on (the *context*: a
scenario's digest, a strategy, a seed) and puts every widget of the group back to its
default, derived from that context, whenever the context changes; widgets then take
their value from the session state only (no ``value=`` argument).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

__all__ = ["follow"]


def follow(
    store: MutableMapping[str, Any], group: str, context: object, defaults: Mapping[str, Any]
) -> bool:
    """Reset the widgets ``defaults`` names (key -> default) when ``context`` differs from
    the one they were last set for; also give a default to any widget that has no value
    yet (Streamlit forgets the widgets of a page the user left). True if reset."""
    marker = f"_context:{group}"
    changed = store.get(marker) != repr(context)
    for key, value in defaults.items():
        if changed or key not in store:
            store[key] = value
    store[marker] = repr(context)
    return changed
