"""``keys create``, ``keys list`` and ``keys revoke``: the HTTP service's API keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DbOpt,
    ListFormat,
    err,
    out,
    print_records,
    settings,
    user_errors,
)
from livetier.services.roles import Role

if TYPE_CHECKING:
    from livetier.services import keys
    from livetier.store import schema
else:
    keys = lazy("livetier.services.keys")
    schema = lazy("livetier.store.schema")

keys_app = typer.Typer(help="API keys of the HTTP service.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option("--role", help="host, operator or service.")],
    host: Annotated[
        str | None, typer.Option("--host", help="For a host key: the one host it acts for.")
    ] = None,
    label: Annotated[str, typer.Option(help="A note to tell keys apart.")] = "",
    db: DbOpt = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    with user_errors(), schema.connected(settings(db).db) as store:
        key, key_id = keys.create(store, role, host, label)
        unchecked = host is not None and keys.host_known(store, host) is None
    if unchecked:  # a key may be made before the first run; the host cannot be checked then
        err.print(f"warning: no day run yet: host {host} could not be checked", highlight=False)
    err.print(f"key {key_id} ({role.value}{' for ' + host if host else ''}); shown once:")
    print(key)


@keys_app.command("list")
def keys_list(db: DbOpt = None) -> None:
    """List API keys (id, role, host, prefix), never their secrets."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = keys.listing(store)
    print_records(records, ListFormat.table, "API keys")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (from keys list).")],
    db: DbOpt = None,
) -> None:
    """Revoke an API key; the service refuses it within seconds."""
    with user_errors(), schema.connected(settings(db).db) as store:
        revoked = keys.revoke(store, key_id)
    out.print(f"key {key_id} revoked" if revoked else f"key {key_id} already revoked")
