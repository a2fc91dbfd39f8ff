"""No import cycle inside ``sim``: every module can be read (and loaded) on its own,
after the modules it imports. Imports under ``TYPE_CHECKING`` count too: a cycle in
the types is the same knot for a reader."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grimp


def import_cycles(
    modules: Iterable[str], imports: Callable[[str], Iterable[str]]
) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    known = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(known):
        if root in index:
            continue
        work = [(root, iter(sorted(m for m in imports(root) if m in known)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(m for m in imports(child) if m in known))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_the_detector_finds_a_cycle_and_ignores_a_chain() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_cycles(graph, graph.__getitem__) == [["a", "b", "c"]]
    chain = {"a": {"b"}, "b": {"c"}, "c": set()}
    assert import_cycles(chain, chain.__getitem__) == []


def test_no_import_cycle_in_sim() -> None:
    graph = grimp.build_graph("sim", cache_dir=None)
    cycles = import_cycles(graph.modules, graph.find_modules_directly_imported_by)
    assert not cycles, "import cycles in sim/: " + "; ".join(" <-> ".join(c) for c in cycles)
