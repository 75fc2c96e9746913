"""An LMS-like field-data layer for the benchmark, over the workbench's ``XBlockState`` table.

The XBlock SDK's ``WorkbenchDjangoKeyValueStore`` runs one SQLite
``get_or_create`` for every ``has``, ``get`` and ``set``. XBlock caches only
mutable fields on the block, so each read of a String, Integer or Boolean field
costs two queries, and each saved field is one more row update. The LMS instead
loads a learner's state for a block from one ``StudentModule`` row (its
``FieldDataCache``) and writes that row back once per save.

``LmsLikeRuntime`` gives every block, ours and the peers alike, a key-value
store that does the same per request. The first access to one stored row (one
scope of one block, for one learner where the scope is per learner) loads the
whole row in one query, and later reads and writes use that copy. Each changed
row is written back in one query when the outermost ``handle`` or ``render``
ends. Rows are the workbench's own rows, stored as the workbench stores them,
so a plain ``WorkbenchRuntime`` reads back what this one writes.

Fields the course team writes (content, settings, children, parent) come from
the modulestore in the LMS, which has them in memory after the first request.
Here they are read from their row once per process and kept until a write
through this layer changes that row. Learner rows and the shared
``user_state_summary`` are read from the database on every request. The
workbench keeps settings and ``user_state_summary`` in one row, so a write of
a summary field also drops the process copy of that row.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterator
from typing import Any

from workbench.models import XBlockState
from workbench.runtime import WorkbenchRuntime
from xblock.fields import Scope
from xblock.runtime import KeyValueStore, KvsFieldData

RowKey = tuple[str, str, Any]
# Scopes whose values the LMS reads from the modulestore rather than from learner tables.
AUTHORED_SCOPES = (Scope.content, Scope.settings, Scope.children, Scope.parent)


def row_lookup(key: KeyValueStore.Key) -> dict[str, Any]:
    """Return the ``XBlockState`` column values that identify the row holding ``key``.

    Same columns as ``XBlockState.get_for_key`` in xblock-sdk 0.14: the
    "type" and "all" scopes have no scenario and use the scope id as tag, and
    other scope ids read ``{scenario}.{tag}.{rest}``.
    """
    if key.scope in (Scope.parent, Scope.children):
        scope_name = key.scope.attr_name
    else:
        scope_name = key.scope.block.attr_name
    scope_name = scope_name.split("_", 1)[1]
    if scope_name in ("type", "all"):
        scenario, tag = None, key.block_scope_id
    else:
        scenario, tag, _rest = key.block_scope_id.split(".", 2)
    return {"scope": scope_name, "scope_id": key.block_scope_id, "user_id": key.user_id,
            "scenario": scenario, "tag": tag}


class _Row:
    """One cached ``XBlockState`` row: its decoded fields and whether they changed."""

    def __init__(self, lookup: dict[str, Any], record: XBlockState | None):
        self.lookup = lookup
        self.primary_key = record.pk if record is not None else None
        self.fields: dict[str, Any] = json.loads(record.state) if record is not None else {}
        self.dirty = False


class RequestCachedKeyValueStore(KeyValueStore):
    """A ``KeyValueStore`` that reads each row once per request and writes it back once.

    Outside a request (no ``handle`` or ``render`` running) every write is
    written to the database at once, so setup code and block parsing behave as
    with the workbench's store.
    """

    # Rows of authored scopes, shared by every runtime of the process, as a modulestore's cache.
    _authored_rows: dict[RowKey, _Row] = {}

    def __init__(self) -> None:
        self._rows: dict[RowKey, _Row] = {}
        self._depth = 0

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        """Cache rows for the duration of one request; write changed rows back when it ends.

        Nested requests (a parent rendering its children) share the outer
        request's cache. The cache starts empty, so a request reads what other
        learners' requests wrote before it, such as a shared poll tally.
        """
        if self._depth == 0:
            self._rows.clear()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                try:
                    self.flush()
                finally:
                    self._rows.clear()

    def flush(self) -> None:
        """Write every changed row back with one UPDATE, or one INSERT for a new row."""
        for row in self._rows.values():
            if not row.dirty:
                continue
            text = json.dumps(row.fields, indent=2, sort_keys=True)  # the workbench's own format
            if row.primary_key is None:
                row.primary_key = XBlockState.objects.create(state=text, **row.lookup).pk
            else:
                XBlockState.objects.filter(pk=row.primary_key).update(state=text)
            row.dirty = False
            self._authored_rows.pop(self._row_key(row.lookup), None)

    @staticmethod
    def _row_key(lookup: dict[str, Any]) -> RowKey:
        return (lookup["scope"], lookup["scope_id"], lookup["user_id"])

    @staticmethod
    def _load(lookup: dict[str, Any]) -> _Row:
        # The workbench keeps at most one row per lookup (it only ever uses get_or_create).
        return _Row(lookup, XBlockState.objects.filter(**lookup).order_by("pk").first())

    def _row(self, key: KeyValueStore.Key) -> _Row:
        """Return the request's copy of the row that contains ``key``, loading it on first use."""
        lookup = row_lookup(key)
        row_key = self._row_key(lookup)
        row = self._rows.get(row_key)
        if row is None:
            row = self._load(lookup)
            self._rows[row_key] = row
        return row

    def _read_row(self, key: KeyValueStore.Key) -> _Row:
        """Return the row to read ``key`` from: the process copy for authored scopes, else the request's copy."""
        if key.scope not in AUTHORED_SCOPES:
            return self._row(key)
        lookup = row_lookup(key)
        row_key = self._row_key(lookup)
        if row_key in self._rows:  # changed in this request
            return self._rows[row_key]
        row = self._authored_rows.get(row_key)
        if row is None:
            row = self._load(lookup)
            self._authored_rows[row_key] = row
        return row

    def _changed(self) -> None:
        if self._depth == 0:
            self.flush()
            self._rows.clear()

    def get(self, key: KeyValueStore.Key) -> Any:
        value = self._read_row(key).fields[key.field_name]
        # The workbench decodes JSON on every read, so callers never share one mutable value.
        return copy.deepcopy(value) if isinstance(value, (dict, list)) else value

    def set(self, key: KeyValueStore.Key, value: Any) -> None:
        self.set_many({key: value})

    def set_many(self, update_dict: dict[KeyValueStore.Key, Any]) -> None:
        for key, value in update_dict.items():
            row = self._row(key)
            # A JSON round trip stores what the workbench would read back (lists for tuples, str keys).
            row.fields[key.field_name] = json.loads(json.dumps(value))
            row.dirty = True
        self._changed()

    def delete(self, key: KeyValueStore.Key) -> None:
        row = self._row(key)
        del row.fields[key.field_name]
        row.dirty = True
        self._changed()

    def has(self, key: KeyValueStore.Key) -> bool:
        return key.field_name in self._read_row(key).fields


class LmsLikeRuntime(WorkbenchRuntime):
    """``WorkbenchRuntime`` whose field data is read and written once per row and request.

    Create one runtime per learner and request, as the benchmark does. Each
    runtime has its own cache.
    """

    def __init__(self, user_id: str | None = None):
        super().__init__(user_id)
        self.kvs = RequestCachedKeyValueStore()
        self._cached_field_data = KvsFieldData(self.kvs)

    def service(self, block, service_name):
        if service_name == "field-data":
            # Keep the base class's check that the block declared the service.
            super().service(block, service_name)
            return self._cached_field_data
        return super().service(block, service_name)

    def handle(self, block, handler_name, request, suffix=""):
        with self.kvs.request():
            return super().handle(block, handler_name, request, suffix)

    def render(self, block, view_name, context=None):
        with self.kvs.request():
            return super().render(block, view_name, context)
