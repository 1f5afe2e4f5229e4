"""Refuse Cypher that could change the graph, before it reaches any engine.

The check looks at keyword tokens outside string literals, quoted identifiers and comments, so a
property value or a comment that merely *mentions* DELETE is fine, while a write clause anywhere
(including inside a subquery) is refused. It is a first line of defence: FalkorDB also runs such
queries through GRAPH.RO_QUERY and Neo4j in a READ transaction, so the server refuses writes too.
"""

from __future__ import annotations

import re

WRITE_KEYWORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "FOREACH",
    "GRANT", "DENY", "REVOKE", "ALTER", "RENAME",
})
# procedures that only read; any other CALL is refused (they may write, e.g. db.idx.*.create*)
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
    "db.meta.stats", "db.schema.visualization", "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties", "dbms.components", "db.idx.fulltext.querynodes",
    "db.idx.vector.querynodes", "algo.bfs", "algo.sppaths", "algo.sspaths",
})

_TOKEN = re.compile(
    r"""
      (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<quoted>`[^`]*(?:`|\Z))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<punct>[^\sA-Za-z_'"`])
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(cypher: str) -> list[tuple[str, str]]:
    """(kind, text) for every token; comments dropped, literals kept as opaque tokens."""
    out = []
    for m in _TOKEN.finditer(cypher):
        kind = m.lastgroup or ""
        if kind != "comment":
            out.append((kind, m.group()))
    return out


def check_read_only(cypher: str) -> None:
    """Raise ValueError if `cypher` contains a write clause, a writing CALL or several statements."""
    tokens = _tokens(cypher)
    for i, (kind, text) in enumerate(tokens):
        prev = tokens[i - 1][1] if i else ""
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "punct" and text == ";" and any(k != "punct" for k, _ in tokens[i + 1:]):
            raise ValueError("only one statement is allowed")
        if kind != "word" or prev in (".", ":") or prev.upper() == "AS" or nxt == ":":
            continue  # property keys, labels, aliases and map keys are names, not clauses
        words = re.split(r"\s*\.\s*", text)
        if words[0].upper() in WRITE_KEYWORDS:
            raise ValueError(f"write clause not allowed in a read-only query: {words[0].upper()}")
        if words[0].upper() == "CALL" and len(words) == 1:
            _check_call(tokens, i)


def _check_call(tokens: list[tuple[str, str]], i: int) -> None:
    """`CALL {subquery}` is checked token by token anyway; `CALL proc()` must be a known reader."""
    nxt_kind, nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
    if nxt == "{":
        return
    name = re.sub(r"\s+", "", nxt).lower() if nxt_kind in ("word", "quoted") else ""
    if name not in READ_PROCEDURES:
        raise ValueError(f"procedure not allowed in a read-only query: {nxt or '?'}")


def is_read_only(cypher: str) -> bool:
    try:
        check_read_only(cypher)
    except ValueError:
        return False
    return True
