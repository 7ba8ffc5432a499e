"""Mutation testing of the critical modules: `make mutation`.

Each mutant is one small wrong version of one function or rule table (a
comparison flipped, `and` for `or`, a constant off by one, a statement
deleted, an arithmetic operator swapped, an entry dropped from or added to
a table). It is killed when the module's own test files fail against it.

Why a runner of our own and not mutmut 3: mutmut 3 mutates function bodies
only, so the tables that carry the rules (the workflow's TRANSITIONS, the
due-phrase words) would never be mutated, and its per-mutant pytest session
re-creates Django's test database. Here pytest collects and sets up the
database once; each mutant runs in a forked child that patches the target's
code object (or the table, in place), runs the tests with -x and exits. A
mutant that hangs is killed by an alarm and counts as killed, as in mutmut.

    python scripts/mutation.py                    # every module
    python scripts/mutation.py --module due sla   # some of them
    python scripts/mutation.py --changed main     # those a branch touches
    python scripts/mutation.py --list cpr         # the mutants, not run

Exits 1 when a module's score (equivalent mutants set aside) is below
--threshold. Equivalent mutants are listed in EQUIVALENT with the reason,
and in docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import inspect
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """One module's mutated functions and tables, and the tests that judge them."""

    path: str
    functions: tuple[str, ...]
    tests: tuple[str, ...]
    tables: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")


TARGETS: dict[str, Target] = {
    "cpr": Target(
        "enquiries/cpr.py",
        functions=(
            "_century",
            "normalize_cpr",
            "reject_cpr_in_text",
            "check_free_text",
            "mask_cpr",
            "cpr_digest",
            "cpr_digests",
            "format_cpr",
            "redact_cpr",
        ),
        tests=("tests/enquiries/test_cpr.py", "tests/enquiries/test_cpr_century.py"),
    ),
    "sla": Target(
        "enquiries/sla.py",
        functions=(
            "_aware",
            "BusinessCalendar.is_holiday",
            "BusinessCalendar.is_business_day",
            "BusinessCalendar.opening_hours",
            "BusinessCalendar.day_length",
            "BusinessCalendar._days_from",
            "BusinessCalendar.add",
            "BusinessCalendar.between",
            "minutes",
            "split_duration",
        ),
        tests=("tests/sla/test_clock.py", "tests/sla/test_clock_properties.py"),
    ),
    "due": Target(
        "actions/due.py",
        functions=(
            "_normalize",
            "_year",
            "_month_end",
            "_check_month",
            "_resolve",
            "_part_of_month",
            "_week",
            "_months",
            "_ordinal",
            "year_assumed",
            "_check_day",
            "_read_iso_date",
            "_read_iso_week",
            "_read_year_month",
            "_read_iso_month",
            "_read_numeric_month",
            "_read_day",
            "_read_numeric_date",
            "_read_day_month",
            "_read_month_day",
            "_read_part_of_month",
            "_read_month_span",
            "_read_month",
            "_read_week",
            "_quarter",
            "_read_quarter",
            "_read_year_quarter",
            "_read_half",
            "_read_season",
            "_read_part_of_year",
            "_read_year",
            "parse_due",
            "_part_name",
            "_format_day",
            "_format_part_of_month",
            "_format_week",
            "_format_month",
            "_format_quarter",
            "_format_half_year",
            "_format_season",
            "_format_part_of_year",
            "_format_year",
            "format_due",
        ),
        tables=(
            "PART_OF_MONTH",
            "PART_WORDS",
            "ORDINALS",
            "SEASONS",
            "DA_SEASONS",
            "EN_SEASONS",
            "READERS",
            "FORMATTERS",
        ),
        tests=("tests/actions/test_due.py", "tests/actions/test_due_forms.py"),
    ),
    "workflow": Target(
        "enquiries/services.py",
        functions=(
            "allowed_transitions",
            "_check_transition",
            "_check_ready_for",
            "_set_status",
            "_status_text",
            "transition_enquiry",
            "reopen_enquiry",
        ),
        tables=("TRANSITIONS",),
        tests=("tests/enquiries/test_services.py", "tests/enquiries/test_workflow_table.py"),
    ),
    "escalation": Target(
        "enquiries/escalation.py",
        functions=(
            "escalation_due",
            "escalate_overdue_enquiries",
            "escalate_enquiry",
            "_escalate_batch",
            "_next_level_due",
            "recipient_for",
        ),
        tests=("tests/sla/test_escalation.py", "tests/sla/test_escalation_claim.py"),
    ),
    "shares": Target(
        "analytics/periods.py",
        functions=("percent",),
        tests=("tests/analytics/test_percent.py", "tests/analytics/test_shares.py"),
    ),
    "share-rows": Target(
        "analytics/reports.py",
        functions=("topic_shares", "_fill"),
        tests=("tests/analytics/test_shares.py", "tests/analytics/test_api.py"),
    ),
    "scope": Target(
        "enquiries/models.py",
        functions=("EnquiryQuerySet.visible_to", "QueueQuerySet.visible_to"),
        tests=("tests/enquiries/test_visible_to.py",),
    ),
    # Who may do what, kept in the cache: a stamp not renewed keeps a
    # revoked permission alive until its entry expires.
    "access": Target(
        "accounts/access.py",
        functions=(
            "key",
            "read",
            "renew",
            "_users",
            "_relation_changed",
            "_group_changed",
            "_permission_deleted",
            "_user_saved",
            "_migrated",
            # Not `connect`: it runs once at start-up, before the runner
            # swaps a mutant in. Each of its lines was deleted by hand
            # before a test run instead, and each deletion failed the tests.
        ),
        tests=("tests/accounts/test_access.py",),
        tables=("RELATIONS",),
    ),
}

# Mutants that no test can kill because the program behaves the same;
# signature -> reason. docs/testing.md lists them too.
_SAMPLE_DAY = (
    "any day without a daylight-saving change has the same opening hours, "
    "so the sample day's length is the same"
)
_RESOLVE = "_resolve: for candidate in range(max(today.year - 1, MIN_YEAR), min(to | "
_RECURS = (
    "every phrase without a year recurs within six years (ISO week 53 every "
    "five or six, 29 February every four), so searching seven, eight or nine "
    "years ahead finds the same"
)
_ASSUMED = "year_assumed: today = today or timezone.localdate() | "
_ASSUMED_LATER = "year_assumed: later = parse_due(phrase, today=today + datetime.timedelta(d | "
_TWO_YEARS = (
    "a phrase without a year reads as another range on any other date about "
    "two years away, one with a year as the same: the answer depends on the "
    "date only within two years of the limits 1900 and 2100, where the second "
    "reading fails"
)
_NO_DATES = (
    "a due date has both ends and a precision with a formatter, or none of "
    "them (precision none; ASAP is answered above): never a mix"
)
_PART_OF_MONTH = (
    "_format_part_of_month: return f'{_part_name(min(start.day // 10, 2), english)} {mon | "
)
_PART_STARTS = (
    "a third of a month starts on day 1, 11 or 21, which // 9 and min(..., 3) "
    "map to the same third as // 10 and min(..., 2)"
)
_QUARTER_STARTS = (
    "a quarter starts in month 1, 4, 7 or 10, for which (m + 1) // 3 and m // 3 "
    "give the same quarter as (m - 1) // 3"
)
_YEAR_PART = "_format_part_of_year: return f'{_part_name((start.month - 1) // 4, english)} {star | "
_YEAR_PART_STARTS = (
    "a third of a year starts in month 1, 5 or 9, which the mutated arithmetic "
    "maps to the same third"
)
_TRUNCATE = "int() of a non-negative number truncates as // floors: the same minutes"
_NO_ROWS = (
    "with no rows every later step works on empty lists, which Django answers "
    "without a query (pk__in=[], in_bulk(set()), bulk_create([])): the early "
    "return saves only Python work"
)
EQUIVALENT: dict[str, str] = {
    "BusinessCalendar.day_length: day = datetime.date(2001, 1, 15) | 2001  ->  2002": _SAMPLE_DAY,
    "BusinessCalendar.day_length: day = datetime.date(2001, 1, 15) | 2001  ->  2000": _SAMPLE_DAY,
    "BusinessCalendar.day_length: day = datetime.date(2001, 1, 15) | 1  ->  2": _SAMPLE_DAY,
    "BusinessCalendar.day_length: day = datetime.date(2001, 1, 15) | 15  ->  16": _SAMPLE_DAY,
    "BusinessCalendar.day_length: day = datetime.date(2001, 1, 15) | 15  ->  14": _SAMPLE_DAY,
    "BusinessCalendar.add: delete raise AssertionError('unreachable')": (
        "unreachable: _days_from raises ValueError before the loop can end"
    ),
    "BusinessCalendar.add: if begin >= closes: | begin >= closes  ->  begin > closes": (
        "starting exactly at closing time leaves 0 available: subtracting it "
        "changes nothing and the next day is taken either way"
    ),
    "escalate_enquiry: levels = [level for level in LEVELS if _escalate_batch(level | 1  ->  2": (
        "`only=pk` leaves at most one row, so a batch of 1 or 2 is the same"
    ),
    "recipient_for: delete return None": "a function that ends returns None anyway",
    "_escalate_batch: delete if not rows: return 0": _NO_ROWS,
    "_escalate_batch: delete return 0": _NO_ROWS,
    "_escalate_batch: delete if claimed != len(ids): raise RuntimeError(f'Claimed {claimed} "
    "of {len(ids)} locked enquir": (
        "the rows are locked (SQLite: the database is) between SELECT and UPDATE, "
        "so the claim cannot fall short; the check guards a broken lock"
    ),
    "_escalate_batch: delete raise RuntimeError(f'Claimed {claimed} of {len(ids)} "
    "locked enquiries.')": "as above: the claim cannot fall short under the lock",
    "_escalate_batch: rows = list(due.select_for_update(of=('self',), skip_locked= "
    "| True  ->  False": (
        "SQLite, where mutation runs, has no row locks; on PostgreSQL the sweep "
        "would wait for a locked row instead of skipping it, still exactly once "
        "(tests/sla/test_concurrency.py)"
    ),
    "_normalize: while len(words) > 1 and words[0] in FILLER: | len(words) > 1  ->  "
    "len(words) >= 1": (
        "a phrase of filler words only is refused either way: the error names "
        "the phrase as typed, not what is left of it"
    ),
    _RESOLVE + "1  ->  2": (
        "two years back never ends today or later: the longest period, a winter, "
        "ends in February of the year after it starts"
    ),
    _RESOLVE + "8  ->  9": _RECURS,
    _RESOLVE + "8  ->  7": _RECURS,
    "_months: end_year, end_month = (year + (last_month - 1) // 12, (last_ | 12  ->  13": (
        "differs only for a last month of 13; the callers give 1-12 or 14 (a "
        "winter), where // 12 and // 13 agree"
    ),
    "_ordinal: delete break": (
        "a match sets only one of the alternatives' groups, so after an "
        "out-of-range number the loop finds nothing more and raises the same error"
    ),
    _ASSUMED + "today or timezone.localdate()  ->  today and timezone.localdate()": _TWO_YEARS,
    _ASSUMED_LATER
    + "today + datetime.timedelta(days=731)  ->  today - datetime.timedelta(days=731)": (
        _TWO_YEARS
    ),
    _ASSUMED_LATER + "731  ->  732": _TWO_YEARS,
    _ASSUMED_LATER + "731  ->  730": _TWO_YEARS,
    "format_due: if start is None or end is None or formatter is None: | start is None or "
    "end is None or formatter is None  ->  start is None and end is None and (formatter is None)": (
        _NO_DATES
    ),
    _PART_OF_MONTH + "10  ->  9": _PART_STARTS,
    _PART_OF_MONTH + "2  ->  3": _PART_STARTS,
    "_format_quarter: quarter = (start.month - 1) // 3 + 1 | start.month - 1  ->  "
    "start.month + 1": _QUARTER_STARTS,
    "_format_quarter: quarter = (start.month - 1) // 3 + 1 | 1  ->  0": _QUARTER_STARTS,
    _YEAR_PART + "start.month - 1  ->  start.month + 1": _YEAR_PART_STARTS,
    _YEAR_PART + "1  ->  0": _YEAR_PART_STARTS,
    _YEAR_PART + "4  ->  3": _YEAR_PART_STARTS,
    "split_duration: total_minutes = int(abs(value).total_seconds() // 60) | "
    "abs(value).total_seconds() // 60  ->  abs(value).total_seconds() / 60": _TRUNCATE,
    "split_duration: day_minutes = max(int(day_length.total_seconds() // 60), 1) | "
    "day_length.total_seconds() // 60  ->  day_length.total_seconds() / 60": _TRUNCATE,
    "_read_year: year = _year(match[1]) | 1  ->  0": (
        "the year pattern is the whole phrase, so group 0 and group 1 are the same text"
    ),
    "BusinessCalendar.between: if overlap > datetime.timedelta(0): | overlap > "
    "datetime.timedelta(0)  ->  overlap >= datetime.timedelta(0)": (
        "adding an overlap of zero changes nothing"
    ),
    "_normalize: while len(words) > 1 and words[0] in FILLER: | 1  ->  0": (
        "the same mutant written as a constant: > 0 is >= 1"
    ),
    "_user_saved: def _user_saved(sender, instance, raw=False, **kwargs) -> No | False  ->  True": (
        "Django always sends `raw` with post_save, so the default is never used"
    ),
}

COMPARE_FLIPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}
STATEMENT_LISTS = ("body", "orelse", "finalbody")


def _is_docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _expression_ops(node: ast.AST, *, parent: ast.AST | None) -> list[str]:
    """Flips, swaps and off-by-ones of one expression node."""
    if isinstance(node, ast.Compare):
        return [f"compare:{i}" for i, op in enumerate(node.ops) if type(op) in COMPARE_FLIPS]
    if isinstance(node, ast.BoolOp):
        return ["boolop"]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ["drop-not"]
    if isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
        return ["binop"]
    if isinstance(node, ast.Constant) and not isinstance(parent, ast.JoinedStr):
        if isinstance(node.value, bool):
            return ["negate"]
        if isinstance(node.value, int | float):
            return ["plus1", "minus1"]
    return []


def _entry_ops(node: ast.AST, *, parent: ast.AST | None, table: bool) -> list[str]:
    """Dropping one entry of a dict, a set, or a table's (or `in`'s) list."""
    if isinstance(node, ast.Dict) and None not in node.keys:
        return [f"drop-entry:{i}" for i in range(len(node.keys))]
    if isinstance(node, ast.Set) or (
        isinstance(node, ast.Tuple | ast.List)
        and (table or (isinstance(parent, ast.Compare) and node is parent.comparators[-1]))
    ):
        return [f"drop-entry:{i}" for i in range(len(node.elts))]
    return []


def _statement_ops(node: ast.AST) -> list[str]:
    """Deleting one statement of a body, but docstrings and no-ops."""
    ops = []
    for name in STATEMENT_LISTS:
        body = getattr(node, name, None)
        for i, stmt in enumerate(body if isinstance(body, list) else []):
            if isinstance(stmt, ast.stmt) and not (
                _is_docstring(stmt) or isinstance(stmt, ast.Pass | ast.Global | ast.Nonlocal)
            ):
                ops.append(f"delete:{name}:{i}")
    return ops


def _operators(node: ast.AST, *, parent: ast.AST | None, table: bool) -> list[str]:
    """The mutation operators that apply to one node."""
    return (
        _expression_ops(node, parent=parent)
        + _entry_ops(node, parent=parent, table=table)
        + _statement_ops(node)
    )


def _add_sibling_ops(root: ast.AST) -> list[tuple[int, str]]:
    """For a table {key: (A.x, A.y)}: add each A.z a row lacks (a new move)."""
    if not isinstance(root, ast.Dict):
        return []
    values = [ast.unparse(k) for k in root.keys if k is not None]
    values += [ast.unparse(e) for v in root.values if isinstance(v, ast.Tuple) for e in v.elts]
    universe = sorted(set(values))
    ops = []
    for i, value in enumerate(root.values):
        if isinstance(value, ast.Tuple) and all(isinstance(e, ast.Attribute) for e in value.elts):
            present = {ast.unparse(e) for e in value.elts}
            ops += [(i, f"add:{name}") for name in universe if name not in present]
    return ops


def _walk(root: ast.AST):
    """Pre-order walk yielding (index, node, parent), deterministic."""
    for index, node, parent, _stmt in _walk_with_statement(root):
        yield index, node, parent


def _walk_with_statement(root: ast.AST):
    """As _walk, with the index of the innermost statement holding the node."""
    stack = [(root, None, 0)]
    index = 0
    while stack:
        node, parent, stmt = stack.pop()
        if isinstance(node, ast.stmt):
            stmt = index
        yield index, node, parent, stmt
        index += 1
        children = list(ast.iter_child_nodes(node))
        stack.extend((child, node, stmt) for child in reversed(children))


def _apply(root: ast.AST, index: int, op: str) -> ast.AST:
    """A copy of `root` with operator `op` applied at node `index`."""
    root = copy.deepcopy(root)
    if op.startswith("add:"):
        name = op.split(":", 1)[1]
        root.values[index].elts.append(ast.parse(name, mode="eval").body)
        return ast.fix_missing_locations(root)
    for i, node, parent in _walk(root):
        if i != index:
            continue
        kind, _, arg = op.partition(":")
        if kind == "compare":
            node.ops[int(arg)] = COMPARE_FLIPS[type(node.ops[int(arg)])]()
        elif kind == "boolop":
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif kind == "binop":
            node.op = BINOP_SWAPS[type(node.op)]()
        elif kind == "negate":
            node.value = not node.value
        elif kind == "plus1":
            node.value = node.value + 1
        elif kind == "minus1":
            node.value = node.value - 1
        elif kind == "drop-not":
            _replace(parent, node, node.operand)
        elif kind == "drop-entry":
            j = int(arg)
            if isinstance(node, ast.Dict):
                del node.keys[j], node.values[j]
            else:
                del node.elts[j]
        elif kind == "delete":
            name, j = arg.split(":")
            getattr(node, name)[int(j)] = ast.Pass()
        break
    return ast.fix_missing_locations(root)


def _replace(parent: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, name, new)
            return
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                    return


@dataclass
class Mutant:
    number: int
    target: str  # "function" or "table"
    name: str
    line: int
    description: str
    source: str  # the mutated function or table value
    signature: str = ""
    outcome: str = ""
    seconds: float = 0.0


def _find(tree: ast.Module, qualname: str) -> ast.AST:
    scope: list[ast.stmt] = tree.body
    node = None
    for part in qualname.split("."):
        node = next(
            n
            for n in scope
            if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
            and n.name == part
        )
        scope = node.body
    return node


def _table(tree: ast.Module, name: str) -> ast.AST:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return node.value
    raise LookupError(name)


def _statement(root: ast.AST, index: int) -> tuple[int, str]:
    """The line and first line of text of the statement holding node `index`."""
    stmt_index = next(s for i, _n, _p, s in _walk_with_statement(root) if i == index)
    node = next(n for i, n, _p in _walk(root) if i == stmt_index)
    text = ast.unparse(node).splitlines()[0] if node is not root else ast.unparse(node)
    return getattr(node, "lineno", 0), " ".join(text.split())[:90]


def _node_text(root: ast.AST, index: int) -> str:
    node = next(n for i, n, _p in _walk(root) if i == index)
    return " ".join(ast.unparse(node).split())[:70]


def _table_change(work: ast.AST, mutated: ast.AST, index: int, op: str) -> tuple[int, str]:
    """A table mutant in the table's own terms: which row, which entry."""
    node = next(n for i, n, _p in _walk(work) if i == index)
    new = next(n for i, n, _p in _walk(mutated) if i == index)
    context = ""
    if isinstance(work, ast.Dict):
        for key, value in zip(work.keys, work.values, strict=True):
            if any(n is node for n in ast.walk(value)):
                context = f"{ast.unparse(key)}: "
            elif node is key:
                context = "key "
    if op.startswith("drop-entry") and node is work:
        j = int(op.split(":")[1])
        # A dict's row by its key; a list's (parse_due's READERS) by itself.
        row = work.keys[j] if isinstance(work, ast.Dict) else work.elts[j]
        return row.lineno, f"drop row {ast.unparse(row)}"
    if op.startswith("drop-entry"):
        j = int(op.split(":")[1])
        return node.lineno, f"{context}drop {ast.unparse(node.elts[j])}"
    return node.lineno, f"{context}{ast.unparse(node)}  ->  {ast.unparse(new)}"


def mutants_of(target: Target) -> list[Mutant]:
    tree = ast.parse((ROOT / target.path).read_text())
    found: list[Mutant] = []
    roots: list[tuple[str, str, ast.AST]] = [
        ("function", name, _find(tree, name)) for name in target.functions
    ]
    roots += [("table", name, _table(tree, name)) for name in target.tables]
    for kind, name, root in roots:
        table = kind == "table"
        work = copy.deepcopy(root)
        if isinstance(work, ast.FunctionDef | ast.AsyncFunctionDef):
            work.decorator_list = []
        plan = [
            (i, op)
            for i, node, parent in _walk(work)
            for op in _operators(node, parent=parent, table=table)
        ]
        for index, op in plan:
            mutated = _apply(work, index, op)
            if op.startswith("delete"):
                stmt_list, j = op.split(":")[1:]
                node = next(n for i, n, _p in _walk(work) if i == index)
                stmt = getattr(node, stmt_list)[int(j)]
                line, before = stmt.lineno, " ".join(ast.unparse(stmt).split())[:90]
                description = f"delete {before}"
            elif table:
                line, description = _table_change(work, mutated, index, op)
            else:
                line, statement = _statement(work, index)
                before, after = _node_text(work, index), _node_text(mutated, index)
                description = f"{statement[:60]} | {before}  ->  {after}"
            found.append(_mutant(found, kind, name, line, description, mutated))
        if table:
            for index, op in _add_sibling_ops(work):
                mutated = _apply(work, index, op)
                key = ast.unparse(work.keys[index])
                found.append(
                    _mutant(
                        found,
                        kind,
                        name,
                        work.values[index].lineno,
                        f"{key}: add {op[4:]}",
                        mutated,
                    )
                )
    return found


def _mutant(found, kind, name, line, description, mutated) -> Mutant:
    signature = f"{name}: {description}"
    repeats = sum(1 for m in found if m.signature.split(" #")[0] == signature)
    if repeats:
        signature += f" #{repeats + 1}"
    return Mutant(
        number=len(found) + 1,
        target=kind,
        name=name,
        line=line,
        description=description,
        source=ast.unparse(mutated),
        signature=signature,
    )


def _resolve_function(module, qualname: str):
    owner = module
    parts = qualname.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    obj = vars(owner)[parts[-1]] if inspect.isclass(owner) else getattr(owner, parts[-1])
    if isinstance(obj, classmethod | staticmethod):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    return inspect.unwrap(obj)


def apply_mutant(module, mutant: Mutant) -> None:
    """Patch the live module: a function's code object, or a table in place."""
    namespace = dict(vars(module))
    if mutant.target == "function":
        exec(compile(mutant.source, module.__file__, "exec"), namespace)  # noqa: S102
        new = namespace[mutant.name.split(".")[-1]]
        old = _resolve_function(module, mutant.name)
        old.__code__ = new.__code__
        old.__defaults__ = new.__defaults__
        old.__kwdefaults__ = new.__kwdefaults__
        return
    value = eval(compile(mutant.source, module.__file__, "eval"), namespace)  # noqa: S307
    current = getattr(module, mutant.name)
    if isinstance(current, dict):
        current.clear()
        current.update(value)
    elif isinstance(current, set | list):
        current.clear()
        current.extend(value) if isinstance(current, list) else current.update(value)
    else:
        setattr(module, mutant.name, value)


class MutationPlugin:
    """Takes over pytest's run loop: a baseline, then one forked child a mutant."""

    def __init__(
        self, target: Target, mutants: list[Mutant], *, verbose: bool, deadline: float | None
    ) -> None:
        self.target = target
        self.mutants = mutants
        self.verbose = verbose
        self.deadline = deadline
        self.killers: list[int] = []
        self.baseline_seconds = 0.0
        self.baseline_ok = False

    def pytest_runtestloop(self, session):
        items = session.items
        if session.testsfailed or not items:
            return None
        # The baseline runs here, so the session's fixtures (the test
        # database above all) are set up once and inherited by each child.
        started = time.monotonic()
        for i, item in enumerate(items):
            # The first item as "next" keeps session fixtures alive.
            nextitem = items[i + 1] if i + 1 < len(items) else items[0]
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
            if session.testsfailed:
                return True
        self.baseline_seconds = time.monotonic() - started
        self.baseline_ok = True
        from django.db import connections

        connections.close_all()
        timeout = max(10, int(self.baseline_seconds * 5) + 5)
        reporter = session.config.pluginmanager.getplugin("terminalreporter")
        module = importlib.import_module(self.target.module)
        for mutant in self.mutants:
            if self.deadline and time.monotonic() > self.deadline:
                mutant.outcome = "not run"
                continue
            started = time.monotonic()
            mutant.outcome = self._run_child(session, items, module, mutant, reporter, timeout)
            mutant.seconds = round(time.monotonic() - started, 2)
            if self.verbose or mutant.outcome == "survived":
                print(f"  #{mutant.number} {mutant.outcome}: {mutant.signature}", flush=True)
        return True

    @staticmethod
    def _child(session, items, order, module, mutant, reporter, timeout, pipe) -> NoReturn:
        """In the forked child: apply the mutant, run the tests, exit with the verdict.

        Exits 1 when a test fails (its index written to the pipe), 0 when all
        pass, 4 when the mutant cannot be applied, 3 on any other error.
        """
        code = 3
        reader, writer = pipe
        try:
            os.close(reader)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if reporter is not None:
                session.config.pluginmanager.unregister(reporter)
            signal.alarm(timeout)
            try:
                apply_mutant(module, mutant)
            except Exception:
                os._exit(4)
            for i, item in enumerate(order):
                nextitem = order[i + 1] if i + 1 < len(order) else order[0]
                item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                if session.testsfailed:
                    os.write(writer, str(items.index(item)).encode())
                    break
            code = 1 if session.testsfailed else 0
        finally:
            os._exit(code)

    def _run_child(self, session, items, module, mutant, reporter, timeout) -> str:
        # The tests that killed earlier mutants first: neighbouring mutants
        # mostly fall to the same test, so most children stop at once.
        first = [i for i in self.killers if i < len(items)]
        order = [items[i] for i in first] + [
            item for i, item in enumerate(items) if i not in set(first)
        ]
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            self._child(session, items, order, module, mutant, reporter, timeout, (reader, writer))
        os.close(writer)
        _pid, status = os.waitpid(pid, 0)
        with os.fdopen(reader) as pipe:
            killer = pipe.read()
        if killer:
            index = int(killer)
            self.killers = [index, *(i for i in self.killers if i != index)]
        if os.WIFSIGNALED(status):
            return "killed" if os.WTERMSIG(status) == signal.SIGALRM else "crashed"
        code = os.WEXITSTATUS(status)
        return {0: "survived", 1: "killed", 4: "not applicable"}.get(code, "crashed")


def run_target(key: str, target: Target, args) -> dict:
    import pytest

    mutants = mutants_of(target)
    if args.only:
        mutants = [m for m in mutants if m.number in args.only]
    if args.limit:
        mutants = mutants[: args.limit]
    if args.deadline and time.monotonic() > args.deadline:
        print(f"== {key}: not run, the time budget is spent")
        return {"module": key, "skipped": "time budget spent"}
    print(f"== {key}: {target.path}, {len(mutants)} mutants, tests {' '.join(target.tests)}")
    plugin = MutationPlugin(target, mutants, verbose=args.verbose, deadline=args.deadline)
    started = time.monotonic()
    pytest.main(
        [*target.tests, "-p", "no:xdist", "--reuse-db", "-q", "-p", "no:randomly", "--no-header"],
        plugins=[plugin],
    )
    if not plugin.baseline_ok:
        print(f"   the tests fail without any mutant: {key} not measured")
        return {"module": key, "error": "baseline failed"}
    counts: dict[str, int] = {}
    survivors = []
    equivalent = []
    for mutant in mutants:
        if mutant.outcome == "survived" and mutant.signature in EQUIVALENT:
            mutant.outcome = "equivalent"
            equivalent.append(mutant.signature)
        counts[mutant.outcome] = counts.get(mutant.outcome, 0) + 1
        if mutant.outcome == "survived":
            survivors.append(f"{target.path}:{mutant.line} {mutant.signature}")
    tried = len(mutants) - counts.get("not applicable", 0) - counts.get("not run", 0)
    killed = counts.get("killed", 0) + counts.get("crashed", 0)
    judged = tried - counts.get("equivalent", 0)
    score = 100.0 * killed / judged if judged else 100.0
    result = {
        "module": key,
        "path": target.path,
        "tried": tried,
        "killed": killed,
        "equivalent": counts.get("equivalent", 0),
        "survived": counts.get("survived", 0),
        "not_run": counts.get("not run", 0),
        "score": round(score, 1),
        "seconds": round(time.monotonic() - started, 1),
        "baseline_seconds": round(plugin.baseline_seconds, 1),
        "survivors": survivors,
    }
    if counts.get("not run"):
        print(f"   {key}: the time budget ran out; {counts['not run']} mutants not run")
    print(
        f"   {key}: {killed} of {tried} killed, {result['equivalent']} equivalent, "
        f"{result['survived']} survived: {score:.1f} % in {result['seconds']} s"
    )
    return result


def changed_targets(base: str) -> list[str] | None:
    """The targets whose module or tests differ from `base` (None: no such base)."""
    found = subprocess.run(  # noqa: S603 - git with fixed arguments and a ref
        ["git", "diff", "--name-only", f"{base}...HEAD"],  # noqa: S607 - git from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode:
        return None
    diff = found.stdout.split()
    return [
        key
        for key, target in TARGETS.items()
        if target.path in diff or any(test in diff for test in target.tests)
    ]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", nargs="*", choices=sorted(TARGETS), help="default: all")
    parser.add_argument("--changed", metavar="BASE", help="only modules changed since BASE")
    parser.add_argument(
        "--fallback",
        nargs="*",
        default=[],
        choices=sorted(TARGETS),
        help="with --changed: "
        "the modules to run when none changed, so the tool itself stays tested",
    )
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds the whole run may take: no new mutant is started after it",
    )
    parser.add_argument("--list", nargs="*", choices=sorted(TARGETS), help="list mutants")
    parser.add_argument(
        "--only",
        type=lambda text: {int(n) for n in text.split(",")},
        help="only these mutant numbers (as --list shows them), e.g. 12,14",
    )
    parser.add_argument("--limit", type=int, help="at most this many mutants a module")
    parser.add_argument("--threshold", type=float, default=95.0)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--report", default=str(ROOT / "var" / "mutation.json"))
    return parser.parse_args()


def _modules(args: argparse.Namespace) -> list[str]:
    """The modules to run: those asked for, narrowed to the changed ones."""
    keys = args.module or sorted(TARGETS)
    if not args.changed:
        return keys
    changed = changed_targets(args.changed)
    keys = [key for key in changed or [] if key in keys]
    if not keys:
        why = "is not a revision" if changed is None else "differs in no mutated module"
        print(f"{args.changed} {why}; running {' '.join(args.fallback) or 'nothing'}.")
        keys = args.fallback
    return keys


def _summary(results: list[dict], *, threshold: float) -> bool:
    """Print the table and the survivors; returns whether a module failed."""
    print("\nmodule       tried  killed  equiv  survived  score   seconds")
    failed = False
    for r in results:
        if "error" in r:
            print(f"{r['module']:<12} {r['error']}")
            failed = True
            continue
        if "skipped" in r:
            print(f"{r['module']:<12} not run: {r['skipped']}")
            continue
        print(
            f"{r['module']:<12} {r['tried']:>5}  {r['killed']:>6}  {r['equivalent']:>5}  "
            f"{r['survived']:>8}  {r['score']:>5.1f}  {r['seconds']:>7}"
        )
        failed |= r["score"] < threshold
    for r in results:
        for survivor in r.get("survivors", []):
            print(f"survived: {survivor}")
    return failed


def main() -> int:
    args = _arguments()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    if args.list is not None:
        for key in args.list or sorted(TARGETS):
            for mutant in mutants_of(TARGETS[key]):
                print(f"{key} #{mutant.number} L{mutant.line} {mutant.signature}")
        return 0
    keys = _modules(args)
    if not keys:
        return 0
    args.deadline = time.monotonic() + args.budget if args.budget else None
    results = [run_target(key, TARGETS[key], args) for key in keys]
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(json.dumps(results, indent=2))
    return 1 if _summary(results, threshold=args.threshold) else 0


if __name__ == "__main__":
    sys.exit(main())
