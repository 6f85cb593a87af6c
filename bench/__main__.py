"""`make bench`: every topic of this package on SQLite, then on PostgreSQL when a server is named; one table.

`python -m bench` runs them all; `python -m bench sending figures` only those; `--database sqlite` one backend.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import pkgutil
import sys

import bench
from bench.harness import BACKENDS, Figure, fresh_database, postgres_server, table

NOT_TOPICS = {"harness", "__main__"}


def topics() -> list[str]:
    """Every module of the package that measures something, by name."""
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name not in NOT_TOPICS)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("topic", nargs="*", help=f"topics to run (all by default): {', '.join(topics())}")
    parser.add_argument("--database", choices=BACKENDS, action="append", help="backends (both by default)")
    args = parser.parse_args(argv)
    if unknown := set(args.topic) - set(topics()):
        parser.error(f"no such topic: {', '.join(sorted(unknown))}")
    backends = args.database or [b for b in BACKENDS if b == "sqlite" or postgres_server()]
    rows: list[tuple[str, str, Figure]] = []
    for name in args.topic or topics():
        module = importlib.import_module(f"bench.{name}")
        for backend in (b for b in backends if b in getattr(module, "DATABASES", BACKENDS)):
            print(f"… {name} on {backend}", file=sys.stderr, flush=True)
            async with fresh_database(backend) as url:
                rows += [(name, backend, figure) for figure in await module.measure(url)]
    print(table(rows))
    if "postgresql" not in backends:
        print("(PostgreSQL not measured: set BENCH_POSTGRES_URL or TEST_POSTGRES_URL)")
    missed = sum(not figure.met for _, _, figure in rows)
    print(f"{len(rows) - missed} of {len(rows)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
