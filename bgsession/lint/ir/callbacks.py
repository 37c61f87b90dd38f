"""Download callbacks: whether didFinishDownloadingTo lets its temporary file escape."""

from __future__ import annotations

from bgsession.lint import ir
from bgsession.lint.ir.handlers import member_ref
from bgsession.lint.ir.scope import Scope
from bgsession.lint.ir.threads import visit
from bgsession.lint.ir.vocabulary import ASYNC_WORK


def download_problem(body: list[ir.Stmt], location: str, scope: Scope) -> tuple[ir.Pos, str] | None:
    """Where `location` escapes didFinishDownloadingTo: into asynchronous work, or into stored state."""
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.text == location:
            if member_ref(stmt.target, scope) is not None:
                return (
                    stmt.pos,
                    "stores the temporary file's URL for later; the file is deleted when this method returns",
                )
    for site in visit(body, scope):
        expr = site.expr
        if not isinstance(expr, ir.Call):
            continue
        callee = expr.callee
        name = callee.name if isinstance(callee, ir.Member) else (callee.text if isinstance(callee, ir.Name) else "")
        if name.split(":", 1)[0] not in {n.split(":", 1)[0] for n in ASYNC_WORK}:
            continue
        closures = [*expr.closures, *(a.value for a in expr.args if isinstance(a.value, ir.Closure))]
        for closure in closures:
            for node in ir.walk_body(closure.body):
                if isinstance(node, ir.Name) and node.text == location:
                    work = ir.dotted(callee) or name
                    return node.pos, (
                        f"uses the temporary file `{location}` inside asynchronous work (`{work.rstrip(':')}`); "
                        "the file is deleted when this method returns"
                    )
    return None
