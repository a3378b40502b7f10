"""The OpenAPI document describes every REST route the app serves, with its methods."""

from __future__ import annotations

import re

from starlette.routing import Route

from penholder.store import make_engine
from penholder.web import create_app
from penholder.web.openapi import SPEC


def test_every_route_is_described(tmp_path):
    app = create_app(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))
    served = set()
    for route in app.routes:
        if isinstance(route, Route) and route.path.startswith("/api/"):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
            for method in route.methods or []:
                if method != "HEAD":
                    served.add((path, method.lower()))
    # /api/amendments/{id}/{action} is described once per action
    described = {(p, m) for p, ops in SPEC["paths"].items() for m in ops}
    generic = {(p, m) for p, m in served if p.endswith("{action}")}
    assert generic == {("/api/amendments/{amendment_id}/{action}", "post")}
    for action in ("accept", "reject", "withdraw", "supersede", "reopen"):
        assert (f"/api/amendments/{{amendment_id}}/{action}", "post") in described
    assert served - generic <= described, sorted(served - generic - described)
    assert described - served <= {(f"/api/amendments/{{amendment_id}}/{a}", "post") for a in (
        "accept", "reject", "withdraw", "supersede", "reopen")}, "the document describes routes that are not served"
    for path, ops in SPEC["paths"].items():
        for op in ops.values():
            assert op["summary"] and op["responses"]
