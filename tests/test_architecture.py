"""The layout's dependency rule (DESIGN "Layout"), checked on the real import graph.

Arrows point down the list of apps and never back up: `review` and `notifications` read
`requests_app` and `products`; `requests_app` reads `products`; everything may use `core`; `config`
only wires things together. Inside the project no two modules import each other, directly or
through others (imports inside functions count: they hide a cycle, they do not remove it).
"""

from __future__ import annotations

import grimp
import pytest

APPS = ["config", "core", "accounts", "products", "requests_app", "notifications", "review", "demo"]

# What each app may import from the project (besides itself). `demo` seeds every app; `config`
# wires them; `core` imports none.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "products": {"core"},
    "accounts": {"core", "products"},
    "requests_app": {"core", "products"},
    "notifications": {"core", "products", "requests_app"},
    "review": {"core", "products", "requests_app"},
    "demo": {"core", "products", "requests_app", "notifications", "review", "accounts"},
    "config": set(APPS) - {"config", "demo"},
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, exclude_type_checking_imports=True, cache_dir=None)


def _app(module: str) -> str:
    return module.split(".", 1)[0]


def test_every_app_imports_only_the_apps_below_it(graph):
    wrong = []
    for importer in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = _app(importer), _app(imported)
            if a != b and b in APPS and b not in ALLOWED[a]:
                wrong.append(f"{importer} imports {imported}")
    assert not wrong, "imports that point up the layout:\n" + "\n".join(sorted(wrong))


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_through_others(graph):
    # A package's __init__ importing its own submodules is not a cycle between features.
    cycles = [
        group
        for group in _cycles(graph)
        if not all(m == group[0] or m.startswith(group[0] + ".") for m in group)
    ]
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)
