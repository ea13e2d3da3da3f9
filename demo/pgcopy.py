"""PostgreSQL: COPY, fed by forked generating processes (a million detainees in minutes)."""

import io
import multiprocessing
import os
import time
import traceback

from django.db import DatabaseError, connection, transaction

from demo.rows import CHUNK, DETAINEE_MODELS

WORKERS = max(1, min(4, (os.cpu_count() or 2)))  # generating processes (PostgreSQL only)
DEFER_INDEXES_FROM = 50_000  # people; below this, PostgreSQL maintains the indexes as it goes


_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_formatter(model, now, keys):
    """A compiled function turning rows into PostgreSQL COPY text, for the given row keys.

    Columns no row sets are written as their model default (a constant); the others are
    converted by type. Compiled once per chunk shape, because this runs for every value of
    millions of rows.
    """
    fields = model._meta.concrete_fields
    namespace = {"E": _COPY_ESCAPE}
    parts = []
    for i, field in enumerate(fields):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        elif field.has_default():
            default = field.get_default()
        elif field.null:
            default = None
        else:
            default = "" if field.empty_strings_allowed else None
        if field.attname not in keys and callable(field.default) and field.unique:
            # A default made per row (a global id, UUIDv7): called for every row, never a constant.
            namespace[f"m{i}"] = field.default
            parts.append(f"{{m{i}()}}")
            continue
        if field.attname not in keys:
            constant = _copy_value(default)
            for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("{", "{{"), ("}", "}}")):
                constant = constant.replace(char, escaped)
            parts.append(constant)
            continue
        namespace[f"d{i}"] = default
        get = f"g({field.attname!r}, d{i})"
        internal = field.get_internal_type()
        if internal == "BooleanField":
            parts.append(f"{{'t' if {get} else 'f'}}")
        elif internal in ("CharField", "TextField"):
            parts.append(f"{{{get}.translate(E)}}" if not field.null else f"{{V({get})}}")
        elif field.null:
            parts.append(f"{{V({get})}}")
        else:  # numbers, dates, moments: format() writes them as PostgreSQL reads them
            parts.append(f"{{{get}}}")
    namespace["V"] = _copy_value
    line = "\\t".join(parts) + "\\n"  # the escapes \t and \n, written into the source
    source = ("def format_rows(rows):\n"
              "    out = []\n"
              "    append = out.append\n"
              "    for row in rows:\n"
              "        g = row.get\n"
              f'        append(f"{line}")\n'
              "    return ''.join(out)\n")
    exec(compile(source, f"<copy {model.__name__}>", "exec"), namespace)
    return [f.column for f in fields], namespace["format_rows"]


def _copy_value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPE)
    return str(value)


def _generate_copy_chunks(generator, n, worker, workers, queue):
    """In a worker process (no database access): generate every `workers`-th chunk as COPY text."""
    try:
        formatters = {}
        for index in range(worker, generator.chunks, workers):
            rows = generator.chunk(index, min(CHUNK, n - index * CHUNK))
            texts = []
            for model in DETAINEE_MODELS:
                if not rows[model]:
                    continue
                keys = frozenset().union(*rows[model])
                if (model, keys) not in formatters:
                    formatters[model, keys] = _copy_formatter(model, generator.now, keys)
                columns, format_rows = formatters[model, keys]
                texts.append((model._meta.db_table, columns, format_rows(rows[model])))
            queue.put(("chunk", texts, {m.__name__: len(r) for m, r in rows.items()}))
        queue.put(("done", generator.sequences))
    except BaseException:  # noqa: BLE001 — reported to the parent process
        queue.put(("error", traceback.format_exc()))


def _only_foreign_key_triggers(cursor, models):
    """True when the tables carry no trigger of their own (only the foreign-key checks)."""
    cursor.execute(
        "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal",
        [[m._meta.db_table for m in models]],
    )
    return cursor.fetchone()[0] == 0


def _defer_secondary_indexes(cursor, models):
    """Drop the plain (non-unique, non-constraint) indexes of the tables; return their
    definitions, to build them again once the rows are in (a sorted build is much cheaper
    than millions of random insertions, a trigram index above all)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND i.indexdef NOT LIKE 'CREATE UNIQUE %%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [[m._meta.db_table for m in models]],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in indexes]


def write_with_copy(generator, n, progress, log):
    """COPY the chunks that worker processes generate (forked: they never touch the database).

    Workers keep the CPUs busy generating while PostgreSQL ingests. The foreign-key checks
    are skipped for these rows when the role may do so (superuser) and no other trigger
    would be skipped with them: the rows are consistent by construction, and re-checking
    tens of millions of references doubles the load time. Returns the sequences reached.
    """
    workers = max(1, min(WORKERS, generator.chunks))
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2 * workers + 1)
    children = [context.Process(target=_generate_copy_chunks, args=(generator, n, w, workers, queue),
                                daemon=True) for w in range(workers)]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        skip_checks = False
        if _only_foreign_key_triggers(cursor, DETAINEE_MODELS):
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
                skip_checks = True
            except DatabaseError:
                pass  # not a superuser: PostgreSQL checks every reference
        # Large loads: secondary indexes rebuilt at the end (same transaction: all or nothing).
        deferred = _defer_secondary_indexes(cursor, DETAINEE_MODELS) if n >= DEFER_INDEXES_FROM else []
    log(f"  {workers} processus de génération ; contrôles des clés étrangères "
        f"{'omis (lignes cohérentes par construction)' if skip_checks else 'effectués'}"
        + (f" ; {len(deferred)} index reconstruits après chargement" if deferred else ""))
    for child in children:
        child.start()
    sequences, finished, waited, copying = dict(generator.sequences), 0, 0.0, {}
    try:
        with connection.cursor() as cursor:
            while finished < workers:
                start = time.monotonic()
                message = queue.get()
                waited += time.monotonic() - start
                if message[0] == "error":
                    raise RuntimeError("Échec de la génération des données :\n" + message[1])
                if message[0] == "done":
                    finished += 1
                    for key, value in message[1].items():
                        sequences[key] = max(sequences.get(key, 0), value)
                    continue
                _, texts, chunk_counts = message
                for table, columns, text in texts:
                    start = time.monotonic()
                    sql = "COPY {} ({}) FROM STDIN".format(
                        connection.ops.quote_name(table), ", ".join(connection.ops.quote_name(c) for c in columns))
                    cursor.cursor.copy_expert(sql, io.StringIO(text))
                    copying[table] = copying.get(table, 0.0) + time.monotonic() - start
                progress(chunk_counts)
            if skip_checks:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()
    log(f"  attente des générateurs {waited:.1f} s ; COPY " + ", ".join(
        f"{table.split('_', 1)[1]} {seconds:.1f} s" for table, seconds in copying.items()))
    if deferred:
        start = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in deferred:
                cursor.execute(definition)
        log(f"  {len(deferred)} index reconstruits ({time.monotonic() - start:.1f} s)")
    return sequences
