"""docs/permissions.md, generated from the access table (web/access.py) so the document cannot drift."""

from __future__ import annotations

from django.urls import NoReverseMatch, get_resolver

from taizhang.web.access import RULES, Rule, Who

HEADER = """# Permissions: who may use what

Generated from `src/taizhang/web/access.py` by `taizhang permissions_doc`; a test fails when this file and the
table differ. `tests/web/test_access.py` resolves every URL pattern of the project (a pattern without a row
fails the build) and requests every row as each persona — anonymous, a plain employee, the raiser, a handler,
a unit leader, a supervisor, an administrator — and as the same roles in a sibling unit: exactly the roles
marked ✓ get through, everybody else gets a login redirect, 401, 403 or 404, and nobody outside the object's
unit sees it.

- **scoped**: the object named in the URL (or every row a list shows) must lie in the person's unit subtree
  (raisers: their own opinions and problems); anyone else gets 404, never a hint that it exists.
- **workflow**: the JSON API's actions take their roles from the transition table (`docs/workflow.md`), which
  also refuses an action in the wrong state (409).
- Administrators act as supervisors over the whole organisation. Django's admin site (`/admin/…`) is one row:
  it checks `is_staff` itself on every page.

"""

COLUMNS = (Who.ANYONE, Who.EMPLOYEE, Who.RAISER, Who.HANDLER, Who.LEADER, Who.SUPERVISOR, Who.ADMIN)


def _route(rule: Rule) -> str:
    namespace, _sep, name = rule.key.rpartition(":")
    resolver = get_resolver()
    try:
        prefix = "/"
        if namespace:
            prefix_part, sub = resolver.namespace_dict[namespace]
            prefix, resolver = "/" + prefix_part, sub
        patterns = resolver.reverse_dict.getlist(name)
        if not patterns:
            raise NoReverseMatch(name)
        route = str(patterns[0][0][0][0])
    except (KeyError, NoReverseMatch):
        return ""
    return (prefix + route).replace("%(", "<").replace(")s", ">")


def _cell(rule: Rule, who: Who) -> str:
    return "✓" if who in rule.who or (Who.EMPLOYEE in rule.who and who != Who.ANYONE) else ""


def render() -> str:
    lines = [HEADER]
    section = ""
    for rule in RULES:
        namespace = rule.key.partition(":")[0] if ":" in rule.key else "(root)"
        if namespace != section:
            section = namespace
            lines += [
                "",
                f"## `{section}`\n",
                "| URL name | method | path | " + " | ".join(str(w) for w in COLUMNS) + " | scope | note |",
                "| --- | --- | --- | " + " | ".join("---" for _ in COLUMNS) + " | --- | --- |",
            ]
        scope = "workflow `" + str(rule.action) + "`" if rule.action else ("scoped" if rule.scoped else "")
        cells = " | ".join(_cell(rule, who) for who in COLUMNS)
        path = _route(rule)
        lines.append(
            f"| `{rule.key}` | {rule.method} | {'`' + path + '`' if path else ''} | {cells} | {scope} | "
            f"{rule.note} |"
        )
    lines.append("")
    return "\n".join(lines).replace("\n\n\n", "\n\n")
