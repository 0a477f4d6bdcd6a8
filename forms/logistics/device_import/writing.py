"""Writing a batch of imported devices: one prepared INSERT run for the new devices,
one prepared UPDATE run for the others (``executemany``), and their status logs
with one INSERT … SELECT.

Django's ``bulk_create`` renders each row's SQL (and, on SQLite, splits a batch
into ~20-row statements); ``bulk_update`` builds a CASE per field and row. Here
each statement is prepared once, names quoted by the connection, values passed as
parameters, so it runs alike on SQLite and PostgreSQL. Values are prepared for
the database by their field (``get_db_prep_save``) except those the drivers take
as they are (text, whole numbers, booleans, None); dates and moments repeat from
row to row (a batch's moment, a file's erasure date), so each is prepared once.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from forms.engine.models.records import StatusLog
from forms.logistics.device_import.columns import LOOKUP_CHUNK
from forms.logistics.models.device import Device

PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
PLAIN_TYPES = frozenset({str, int, bool, type(None)})
MAX_REMEMBERED = 10_000


class Preparer:
    """Field values as the database takes them, for one connection."""

    def __init__(self, fields):
        self.steps = []
        for field in fields:
            plain = isinstance(field, PLAIN_FIELDS) and not isinstance(field, models.JSONField)
            self.steps.append((field, plain, {}))

    def row(self, instance):
        values = []
        state = instance.__dict__
        for field, plain, remembered in self.steps:
            value = state[field.attname]
            if plain and type(value) in PLAIN_TYPES:
                values.append(value)
                continue
            # a list (JSON) is remembered by its items
            key = (list, tuple(value)) if type(value) is list else (type(value), value)
            try:
                prepared = remembered.get(key, remembered)
            except TypeError:  # not hashable: not remembered
                key, prepared = None, remembered
            if prepared is remembered:
                prepared = field.get_db_prep_save(value, connection)
                if key is not None:
                    if len(remembered) >= MAX_REMEMBERED:
                        remembered.clear()
                    remembered[key] = prepared
            values.append(prepared)
        return values


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(field):
    return connection.ops.quote_name(field.column)


class Inserter:
    """One prepared INSERT of ``model``'s rows (all its fields but the primary key)."""

    def __init__(self, model):
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        # auto_now fields get their moment as Model.save would give it
        self.stamped = [f for f in self.fields if getattr(f, "auto_now", False)]
        self.values = Preparer(self.fields)
        # Names come from the model (quoted by the connection), values are parameters.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            _table(model),
            ", ".join(_column(f) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(
            _table(model), ", ".join(_column(f) for f in self.fields)
        )

    def insert(self, instances):
        if not instances:
            return
        for field in self.stamped:
            for instance in instances:
                field.pre_save(instance, True)
        params = [self.values.row(instance) for instance in instances]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # PostgreSQL's COPY takes the rows as they come, without a statement
                # per row: psycopg's own cursor, as Django's wraps it.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in params:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, params)


class DeviceWriter:
    """Writes the batches of one import (``update_fields``: the model fields an
    update sets; a new device's ``updated_at`` is the import's, as an update's)."""

    def __init__(self, update_fields):
        self.inserter = Inserter(Device)
        self.inserter.stamped = []
        self.update_fields = [Device._meta.get_field(name) for name in update_fields]
        self.update_values = Preparer(self.update_fields)
        # Names come from the model (quoted by the connection), values are parameters.
        self.update_sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
            _table(Device),
            ", ".join(f"{_column(f)} = %s" for f in self.update_fields),
            _column(Device._meta.pk),
        )

    def insert(self, devices):
        self.inserter.insert(devices)

    def update(self, devices):
        if devices:
            params = [self.update_values.row(device) + [device.pk] for device in devices]
            with connection.cursor() as cursor:
                cursor.executemany(self.update_sql, params)


def log_creations(model, key, keys, by, at, note):
    """One status log per record of ``model`` created (from "" to its status), by an
    INSERT … SELECT on their ``key`` field (unique): no row goes through Python."""
    log = StatusLog._meta
    content_type = ContentType.objects.get_for_model(model)
    # An absent author is written NULL, not as a parameter: PostgreSQL cannot tell the
    # type of a NULL parameter in a SELECT list.
    by_sql, by_params = ("NULL", []) if by is None else ("%s", [by.pk])
    at_value = log.get_field("at").get_db_prep_save(at, connection)
    columns = ", ".join(
        _column(log.get_field(name))
        for name in ("content_type", "object_id", "from_status", "to_status", "by", "at", "note")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            # Names come from the models (quoted by the connection), values are parameters.
            sql = "INSERT INTO {} ({}) SELECT %s, {}, %s, {}, {}, %s, %s FROM {} WHERE {} IN ({})".format(  # noqa: S608, E501
                _table(StatusLog),
                columns,
                _column(model._meta.pk),
                _column(model._meta.get_field("status")),
                by_sql,
                _table(model),
                _column(model._meta.get_field(key)),
                ", ".join(["%s"] * len(chunk)),
            )
            cursor.execute(sql, [content_type.pk, "", *by_params, at_value, note, *chunk])


def log_changes(changes, by, at, note):
    """One status log per device whose status the import changed ((pk, from, to))."""
    if not changes:
        return
    content_type = ContentType.objects.get_for_model(Device)
    StatusLog.objects.bulk_create(
        [
            StatusLog(
                content_type=content_type,
                object_id=pk,
                from_status=old,
                to_status=new,
                by=by,
                at=at,
                note=note,
            )
            for pk, old, new in changes
        ],
        batch_size=1000,
    )
