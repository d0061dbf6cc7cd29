"""Benchmark of the desk's responsiveness: from a key to its result painted, through Pilot, on a demo station.

Run it from the repository root (a report, not a test; pytest does not collect tests/bench):

    .venv/bin/python tests/bench/bench_tui.py              # 2,000-part demo station, 5 rounds a step
    .venv/bin/python tests/bench/bench_tui.py --rounds 9   # more rounds, steadier medians
    .venv/bin/python tests/bench/bench_tui.py --profile    # also cProfile the UI thread over every step

Each step is timed from the key (Pilot.press, or a scan's burst posted at once) until the screen shows what
the step is for — a screen up with its rows, a dialog, the receipt posted — and the next frame is drawn
(Pilot.pause). A step's slow part runs in a thread worker (screens.widgets.calls); the target is 0.3 s at
the demo's size, and a "working…" mark shows in the header for any call past 0.15 s meanwhile. The
station is the demo (`partsdesk demo`), with receipts opened from its packing list for the receipt steps.
The exit status is non-zero only on an error, never on a missed target.

With `--documents N` it measures the desk at size instead (issue 14: the TUI never reads more rows than it
shows): a demo station copy with N open documents bulk-inserted (a third each shortages to answer, receipts not
posted, orders late in transit), then home filled (F5 on the dashboard), F2 from home while the dashboard reads,
the receiving list opened (F6) and the app's peak RSS (the station is built in a child process, so the peak is
the desk's own). A size step is timed from the key to the first frame Textual renders once the result is there
(`Frames`: the app's `_display` is handed each frame), beside the process's CPU time meanwhile and the older
figure, until the process is idle as well (Pilot.pause waits for every thread, the dashboard's read included).
Each round runs on a fresh app, except F2's: its rounds run on one desk, back home between them (ONE_DESK):

    .venv/bin/python tests/bench/bench_tui.py --documents 50000 --results /tmp/results.jsonl
    .venv/bin/python tests/bench/bench_tui.py --quick                       # 300 documents, 1 round (a smoke run)
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LANGUAGE", "en")  # the steps wait for English words on the screen

from core.roles import Actor  # noqa: E402
from core.services import operators  # noqa: E402
from core.services.receiving import CountEntry, check_boxes, count_receipt, get_receipt, open_receipt  # noqa: E402
from data.db import Database  # noqa: E402
from data.demo import DEMO_PIN, seed_demo  # noqa: E402
from data.migrations import HEAD_REVISION, upgrade  # noqa: E402

TARGET = 0.3  # seconds from key to painted result
SIZE = (120, 36)
PACKING_LIST = ROOT / "data" / "demo_packing_list.csv"
FORECAST_PART = "96800106"  # the oil filter: a year of demo consumption


# -- the station ---------------------------------------------------------------------------------------------


def build_station(folder: Path, parts: int) -> Database:
    """A migrated demo station in `folder`."""
    database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    upgrade(database.engine)
    seed_demo(database, parts=parts)
    return database


def actor(database: Database, code: str) -> Actor:
    """A demo operator, signed in."""
    with database.reading() as uow:
        return operators.authenticate(code, DEMO_PIN, uow=uow)


def new_receipt(database: Database, *, counted: bool) -> str:
    """A receipt from the demo packing list (its boxes checked and counted by two, when `counted`)."""
    store, manager = actor(database, "STORE1"), actor(database, "PM1")
    # The same sample shipment each round: opened again on purpose.
    with database.writing() as uow:
        number = open_receipt(PACKING_LIST, actor=store, uow=uow, again=True)
    if counted:
        with database.writing() as uow:
            info = get_receipt(number, uow=uow)
            check_boxes(number, info.boxes_expected, actor=store, second=actor(database, "PLAN1"), uow=uow)
        with database.writing() as uow:
            lines = get_receipt(number, uow=uow).lines
            entries = [CountEntry(line.part_no, Decimal(line.expected)) for line in lines]
            count_receipt(number, entries, first=store, second=manager, uow=uow)
    return number


def add_documents(database: Database, documents: int) -> None:
    """N open documents bulk-inserted, a third each: shortages to answer (the oldest overdue), receipts not posted
    (arrived over the last week: overdue, late and today's) and orders sent whose last ETA has passed."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from core import clock
    from core import tables as t

    now = clock.now()
    shortages, receipts = documents // 3, documents // 3
    orders = documents - shortages - receipts
    with database.engine.begin() as conn:
        operator = dict(conn.execute(select(t.operator.c.code, t.operator.c.id)).all())
        parts = conn.execute(select(t.part.c.id).order_by(t.part.c.id).limit(1000)).scalars().all()
        supplier = conn.execute(select(t.supplier.c.id).order_by(t.supplier.c.id)).scalars().first()
        repair_order = conn.execute(select(t.repair_order.c.id).order_by(t.repair_order.c.id)).scalars().first()
        minute = timedelta(minutes=1)
        conn.execute(insert(t.shortage), [
            {"number": f"SHT-B{i:07d}", "part_id": parts[i % len(parts)], "qty": Decimal(1),
             "repair_order_id": repair_order, "state": "open", "logged_at": now - minute * (i % 5000),
             "logged_by": operator["ADV1"]} for i in range(shortages)])
        conn.execute(insert(t.receipt), [
            {"number": f"RCV-B{i:07d}", "state": "arrived", "supplier_id": supplier, "shipment_no": f"BENCH-{i}",
             "packing_list": "bench.csv", "boxes_expected": 1, "arrived_at": now - minute * (i % 10000),
             "arrived_by": operator["STORE1"]} for i in range(receipts)])
        conn.execute(insert(t.purchase_order), [
            {"number": f"PO-B{i:07d}", "supplier_id": supplier, "state": "sent", "created_at": now - timedelta(days=30),
             "created_by": operator["PLAN1"], "urgent": False} for i in range(orders)])
        ids = conn.execute(select(t.purchase_order.c.id).where(t.purchase_order.c.number.like("PO-B%"))
                           .order_by(t.purchase_order.c.id)).scalars().all()
        conn.execute(insert(t.purchase_order_line), [
            {"order_id": oid, "line_no": 1, "part_id": parts[i % len(parts)], "qty_ordered": Decimal(2),
             "qty_received": Decimal(0), "unit_cost": Decimal("10.00")} for i, oid in enumerate(ids)])
        conn.execute(insert(t.order_chase), [
            {"order_id": oid, "at": now - timedelta(days=3), "operator_id": operator["PLAN1"],
             "note": "bench", "eta": now - timedelta(days=1) - minute * (i % 5000)} for i, oid in enumerate(ids)])


def scratch(prefix: str) -> Path:
    """A new temporary folder, removed when this process ends: every round copies a station of 50,000 documents."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def kept_documents_station(documents: int, parts: int) -> Path:
    """The demo station with `documents` open documents, built once (in a child process, so this process's peak
    memory is the desk's) and kept under the temp folder: never opened in place."""
    # Named by the schema revision too: a station kept from an older revision would stop the desk at sign-in.
    kept = (Path(tempfile.gettempdir()) / "partsdesk-bench-tui"
            / f"docs-{documents}-parts-{parts}-rev{HEAD_REVISION}.sqlite")
    if not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, "--build-into", str(kept), "--documents", str(documents),
                        "--parts", str(parts)], check=True)
    return kept


def documents_station(documents: int, parts: int, db_url: str = "") -> tuple[Path, str]:
    """A scratch folder (prints) and the URL of a station with `documents` open documents to work on: a fresh copy
    of the kept SQLite file, or with `db_url` its PostgreSQL copy (tests/bench/pg_station.py: a schema named by the
    kept file, copied once; the steps only read it, signing in apart)."""
    kept = kept_documents_station(documents, parts)
    folder = scratch("bench-tui-docs-")
    if db_url:
        sys.path.insert(0, str(Path(__file__).parent))
        from pg_station import pg_station

        return folder, pg_station(kept, db_url)
    shutil.copy(kept, folder / "demo.sqlite")
    return folder, f"sqlite:///{folder / 'demo.sqlite'}"


def build_into(target: Path, documents: int, parts: int) -> None:
    """Build the demo station with its documents at `target` (the child process of documents_station)."""
    folder = scratch("bench-tui-build-")
    database = build_station(folder, parts)
    add_documents(database, documents)
    database.dispose()
    shutil.move(folder / "demo.sqlite", target.with_suffix(".part"))
    target.with_suffix(".part").rename(target)


def drop_copy(base_url: str, kept: Path) -> None:
    """Drop the PostgreSQL schema pg_station made of a kept station."""
    from sqlalchemy import create_engine, text

    sys.path.insert(0, str(Path(__file__).parent))
    from pg_station import schema_name

    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema_name(kept)} CASCADE"))
    admin.dispose()


# -- driving the desk ------------------------------------------------------------------------------------------


async def settle(pilot) -> None:
    """Until no worker runs and what they sent is handled."""
    app = pilot.app
    for _round in range(500):
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            return
    raise RuntimeError("workers still running")


async def until(pilot, shown: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Until `shown()` holds, then one more frame drawn."""
    deadline = time.perf_counter() + timeout
    while not shown():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"never shown: {what}")
        await pilot.pause()
    await pilot.pause()


async def burst(pilot, text: str) -> None:
    """A scan: every key and Enter posted at once, as a scanner sends them."""
    from textual import events

    app = pilot.app
    for key in [*text, "enter"]:
        event = events.Key(key, "\r" if key == "enter" else key)
        event.set_sender(app)
        app.post_message(event)


async def sign_in(pilot, code: str) -> None:
    """Type a code and the PIN, then wait for home."""
    from screens.home import HomeScreen

    await settle(pilot)
    await pilot.press(*code, "enter", *DEMO_PIN, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "home")
    await settle(pilot)


def rows(pilot, selector: str) -> int:
    """How many rows a table on the current screen holds (0 when it is not there)."""
    found = pilot.app.screen.query(selector)
    return found.first().row_count if found else 0


def on(pilot, name: str) -> bool:
    """Whether the current screen is of the class named."""
    return type(pilot.app.screen).__name__ == name


# A step: who signs in, how to get to where the key is pressed, the key, and what shows when it is done.
Prepare = Callable[[object, dict], Awaitable[None]]
Act = Callable[[object, dict], Awaitable[None]]
Done = Callable[[object, dict], bool]


async def to_receiving(pilot, ctx) -> None:
    await pilot.press("f6")
    await until(pilot, lambda: on(pilot, "ReceivingScreen") and rows(pilot, "#receipts") > 0, "receiving")
    await settle(pilot)


async def to_receipt(pilot, ctx) -> None:
    await to_receiving(pilot, ctx)
    await burst(pilot, ctx["receipt"])
    await until(pilot, lambda: on(pilot, "ReceiptScreen") and rows(pilot, "#lines") > 0, "receipt")
    await settle(pilot)


async def to_counted_receipt(pilot, ctx) -> None:
    await to_receiving(pilot, ctx)
    await burst(pilot, ctx["counted"].pop())
    await until(pilot, lambda: on(pilot, "ReceiptScreen") and rows(pilot, "#lines") > 0, "counted receipt")
    await settle(pilot)


async def to_part(pilot, ctx) -> None:
    await pilot.press("f2")
    await until(pilot, lambda: on(pilot, "LookupScreen"), "lookup")
    await burst(pilot, FORECAST_PART)
    await until(pilot, lambda: on(pilot, "PartScreen") and rows(pilot, "#lots") > 0, "part")
    await settle(pilot)


async def to_board(pilot, ctx) -> None:
    await pilot.press("f4")
    await until(pilot, lambda: on(pilot, "IntakeScreen") and rows(pilot, "#orders") > 0, "board")
    await settle(pilot)


async def nowhere(pilot, ctx) -> None:
    return None


def press(*keys: str) -> Act:
    async def act(pilot, ctx) -> None:
        for key in keys:  # posted, not awaited one by one: the clock runs from the first key
            pilot.app.post_message(_key(pilot.app, key))
    return act


def _key(app, key: str):
    from textual import events

    event = events.Key(key, "\r" if key == "enter" else key if len(key) == 1 else None)
    event.set_sender(app)
    return event


async def scan_receipt(pilot, ctx) -> None:
    await burst(pilot, ctx["receipt"])


def posted(pilot, ctx) -> bool:
    screen = pilot.app.screen
    if not on(pilot, "ReceiptScreen") or screen.receipt is None:
        return False
    return screen.receipt.state == "posted" and not any(w.is_running for w in pilot.app.workers)


STEPS: list[tuple[str, str, Prepare, Act, Done]] = [
    ("receiving list (F6 from home)", "STORE1", nowhere, press("f6"),
     lambda p, c: on(p, "ReceivingScreen") and rows(p, "#receipts") > 0),
    ("open a receipt (its number scanned)", "STORE1", to_receiving, scan_receipt,
     lambda p, c: on(p, "ReceiptScreen") and rows(p, "#lines") > 0),
    ("box-check dialog (ctrl+b)", "STORE1", to_receipt, press("ctrl+b"),
     lambda p, c: on(p, "BoxCheckDialog")),
    ("forecast (f on a part)", "PLAN1", to_part, press("f"),
     lambda p, c: on(p, "ForecastScreen") and rows(p, "#forecast-history") > 0),
    ("intake form (ctrl+n on the board)", "ADV1", to_board, press("ctrl+n"),
     lambda p, c: on(p, "RepairOrderForm")),
    ("review (F7 from home)", "SM1", nowhere, press("f7"),
     lambda p, c: on(p, "ReviewScreen") and rows(p, "#drafts") > 0),
    ("post a counted receipt (F9, Enter)", "PLAN1", to_counted_receipt, press("f9", "enter"), posted),
    ("print preview of a receipt (F10)", "STORE1", to_receipt, press("f10"),
     lambda p, c: on(p, "PrintPreviewScreen")),
]


def dashboard(pilot):
    """Home's dashboard widget (None off home)."""
    found = pilot.app.screen.query("#dashboard")
    return found.first() if found else None


async def reload_home(pilot, ctx) -> None:
    """Into the dashboard and F5: it reads everything waiting again."""
    ctx["before"] = dashboard(pilot).data
    await press("d", "f5")(pilot, ctx)


def home_filled(pilot, ctx) -> bool:
    board = dashboard(pilot)
    return board is not None and board.data is not None and board.data is not ctx["before"] \
        and rows(pilot, "#dashboard-items") > 0


async def home_reading(pilot, ctx) -> None:
    """Home with its dashboard reading again, as every 30 s and on every return home."""
    dashboard(pilot).reload()


# The size steps (--documents): target id, title, who signs in, how to get there, the key, what shows when done.
def lookup_laid_out(pilot, ctx) -> bool:
    """The lookup is the current screen with its search field laid out (a frame from now on shows it)."""
    if not on(pilot, "LookupScreen"):
        return False
    found = pilot.app.screen.query("#query")
    return bool(found) and found.first().region.area > 0


SIZE_STEPS: list[tuple[str, str, str, Prepare, Act, Done]] = [
    ("tui-home", "home filled (F5 on the dashboard)", "PM1", nowhere, reload_home, home_filled),
    ("tui-f2", "F2 from home while the dashboard reads", "PM1", home_reading, press("f2"), lookup_laid_out),
    ("tui-receiving", "receiving opened (F6 from home)", "STORE1", nowhere, press("f6"),
     lambda p, c: on(p, "ReceivingScreen") and rows(p, "#receipts") > 0),
]
SIZE_TARGETS = {"tui-home": 0.3, "tui-f2": 0.1, "tui-receiving": 0.3}
# The steps whose rounds all run on one desk, back home between them: F2's 0.1 s is close to a full garbage
# collection of a heap holding the earlier rounds' apps (Textual's strip caches keep a copy per app), 50-120 ms
# from the third round on, which no desk holds: it runs one app, and its start-up is frozen out of the collector
# (tui.app.freeze_start_up). The lookup F2 shows is built once per sign-in either way (screens.lookup, kept).
ONE_DESK = frozenset({"tui-f2"})
MEMORY_TARGET_MB = 150.0


def size_label(documents: int) -> str:
    """50000 -> "50k", the suffix of the size targets' ids."""
    return f"{documents // 1000}k" if documents % 1000 == 0 else str(documents)


async def desk_session(folder: Path, url: str) -> None:
    """One desk, as at the counter: the parts manager's home filled, F2 and back, signed out, the storekeeper's
    receiving; prints the process's peak RSS in MB (the child process of session_memory)."""
    from screens.home import HomeScreen
    from tui.app import PartsdeskApp

    database = Database(url)
    ctx: dict = {}
    app = PartsdeskApp(database=database, print_folder=folder / "prints")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "PM1")
        await reload_home(pilot, ctx)
        await until(pilot, lambda: home_filled(pilot, ctx), "home filled")
        await home_reading(pilot, ctx)
        await pilot.press("f2")
        await until(pilot, lambda: on(pilot, "LookupScreen"), "lookup")
        await settle(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "home")
        await settle(pilot)
        await pilot.press("f12")
        await until(pilot, lambda: on(pilot, "LoginScreen"), "the sign-in")
        await sign_in(pilot, "STORE1")
        await pilot.press("f6")
        await until(pilot, lambda: on(pilot, "ReceivingScreen") and rows(pilot, "#receipts") > 0, "receiving")
        await settle(pilot)
    database.dispose()
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across the fork and exec that started this process.
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(peak_kib / 1024)


def session_memory(documents: int, parts: int, db_url: str) -> float:
    """Peak RSS (MB) of one desk going through the size steps once, in a process of its own."""
    folder, url = documents_station(documents, parts, db_url)
    done = subprocess.run([sys.executable, __file__, "--session-in", str(folder), "--session-url", url], check=True,
                          capture_output=True, text=True)
    return float(done.stdout.split()[-1])


async def run_documents(args: argparse.Namespace) -> None:
    """Time the size steps on a station with `args.documents` open documents; the table, and the results file."""
    started = time.perf_counter()
    folder, url = documents_station(args.documents, args.parts, args.db_url)
    database = Database(url)
    backend = database.engine.dialect.name
    ctx = {"prints": folder / "prints"}
    print(f"station : demo, {args.parts} parts, {args.documents} open documents, ready in "
          f"{time.perf_counter() - started:.1f} s")
    print(f"machine : {machine()}")
    print()
    print("painted: from the key to the first frame that shows the result; cpu: the process's CPU time meanwhile "
          "(both threads); idle: until the process is idle too (Pilot.pause: the dashboard's read included)")
    print()
    header = (f"{'step (key to painted result)':<42}  {'median':>8}  {'max':>8}  {'target':>8}  result"
              f"       {'cpu':>6}  {'idle':>6}")
    print(header)
    print("-" * len(header))
    results = []
    profiler = cProfile.Profile() if args.profile else None
    for target, title, signer, prepare, act, done in SIZE_STEPS:
        if args.only and args.only not in target:
            continue
        rounds = await time_painted(database, ctx, signer, prepare, act, done, profiler, args.rounds,
                                    one_desk=target in ONE_DESK)
        times = [painted for painted, _cpu, _idle in rounds]
        middle, limit = statistics.median(times), SIZE_TARGETS[target]
        cpu, idle = statistics.median(r[1] for r in rounds), statistics.median(r[2] for r in rounds)
        print(f"{title:<42}  {middle * 1000:>6.0f}ms  {max(times) * 1000:>6.0f}ms  {limit * 1000:>6.0f}ms  "
              f"{'PASS' if middle <= limit else 'SLOW'} (n={len(times)})  {cpu * 1000:>4.0f}ms  {idle * 1000:>4.0f}ms",
              flush=True)
        results.append({"target": f"{target}-{size_label(args.documents)}",
                        "what": f"{title}, to the frame painted, median of {len(times)} (CPU {cpu * 1000:.0f} ms, "
                                f"until idle {idle * 1000:.0f} ms), {args.documents} open documents",
                        "backend": backend, "parts": args.parts, "value": round(middle * 1000, 1), "unit": "ms",
                        "limit": limit * 1000, "baseline": None, "baseline_what": None, "met": middle <= limit})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # The peak of this process, which ran a fresh desk for every round of every step: shown, not judged (the
    # ru_maxrss of a bench holding every round's desk in turn is no counter's terminal). One desk going through the
    # steps once, in a process of its own, is what a counter's terminal holds: that is the target's figure.
    print(f"{'peak RSS of this bench (every round above)':<42}  {peak:>6.0f}MB  {'':>8}  {'':>8}  not a target")
    session = session_memory(args.documents, args.parts, args.db_url)
    print(f"{'peak RSS of one desk through the steps':<42}  {session:>6.0f}MB  {'':>8}  {MEMORY_TARGET_MB:>6.0f}MB  "
          f"{'PASS' if session <= MEMORY_TARGET_MB else 'OVER'}")
    results.append({"target": f"tui-memory-{size_label(args.documents)}",
                    "what": f"peak RSS of one TUI process signed in twice through the three steps once (own "
                            f"process), {args.documents} open documents",
                    "backend": backend, "parts": args.parts, "value": round(session, 1), "unit": "MB",
                    "limit": MEMORY_TARGET_MB, "baseline": None, "baseline_what": None,
                    "met": session <= MEMORY_TARGET_MB})
    database.dispose()
    if args.db_url and args.quick:
        # A smoke run's small station is its own (TMPDIR): its PostgreSQL copy goes with it.
        drop_copy(args.db_url, kept_documents_station(args.documents, args.parts))
    if profiler is not None:
        print()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    if args.results:
        with open(args.results, "a", encoding="utf-8") as out:
            for result in results:
                out.write(json.dumps(result) + "\n")


async def time_step(database: Database, ctx: dict, signer: str, prepare: Prepare, act: Act, done: Done,
                    profiler: cProfile.Profile | None) -> float:
    """One round of a step on a fresh app: the seconds from the key to the result painted."""
    from tui.app import PartsdeskApp

    app = PartsdeskApp(database=database, print_folder=ctx["prints"])
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, signer)
        await prepare(pilot, ctx)
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        await act(pilot, ctx)
        await until(pilot, lambda: done(pilot, ctx), "the step's result")
        elapsed = time.perf_counter() - start
        if profiler is not None:
            profiler.disable()
        await settle(pilot)
    return elapsed


class Frames:
    """The frames an app renders: Textual's App._display is handed each compositor update (headless too, where it
    then writes nothing), so the time of that call is when a screen's state was painted."""

    def __init__(self, app) -> None:
        """Watch `app`'s frames from now on."""
        self.times: list[float] = []
        shown = app._display

        def display(screen, renderable) -> None:
            shown(screen, renderable)
            if renderable is not None and screen is app.screen:
                self.times.append(time.perf_counter())

        app._display = display

    async def after(self, moment: float, timeout: float = 20.0) -> float:
        """The time of the first frame painted after `moment` (waiting for it)."""
        deadline = time.perf_counter() + timeout
        while not (self.times and self.times[-1] > moment):
            if time.perf_counter() > deadline:
                raise RuntimeError("no frame painted")
            await asyncio.sleep(0.001)
        return next(at for at in self.times if at > moment)


async def time_painted(database: Database, ctx: dict, signer: str, prepare: Prepare, act: Act, done: Done,
                       profiler: cProfile.Profile | None, rounds: int,
                       one_desk: bool) -> list[tuple[float, float, float]]:
    """The rounds of a size step: each on a fresh app, or with `one_desk` all on one app signed in once and back
    home between them, as a desk at the counter goes back and forth all day (see painted_round)."""
    from tui.app import PartsdeskApp

    if not one_desk:
        times = []
        for _round in range(rounds):
            app = PartsdeskApp(database=database, print_folder=ctx["prints"])
            async with app.run_test(size=SIZE) as pilot:
                await sign_in(pilot, signer)
                times.append(await painted_round(pilot, ctx, prepare, act, done, profiler, Frames(app)))
        return times
    gc.collect()  # the earlier steps' apps: garbage a desk's process never holds (ONE_DESK)
    app = PartsdeskApp(database=database, print_folder=ctx["prints"])
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, signer)
        frames = Frames(app)
        times = []
        for _round in range(rounds):
            await back_home(pilot)
            times.append(await painted_round(pilot, ctx, prepare, act, done, profiler, frames))
        return times


async def back_home(pilot) -> None:
    """Escape until home shows, then until its dashboard has read again (home reads whenever it shows)."""
    from screens.home import HomeScreen

    while not isinstance(pilot.app.screen, HomeScreen):
        await pilot.press("escape")
        await pilot.pause()
    await settle(pilot)


async def painted_round(pilot, ctx: dict, prepare: Prepare, act: Act, done: Done, profiler: cProfile.Profile | None,
                        frames: Frames) -> tuple[float, float, float]:
    """One round of a size step: the seconds from the key to the first frame painted once `done` holds, the
    process's CPU seconds until then, and the seconds until the process is idle as well (the older measure,
    Pilot.pause: it waits for any thread still working, such as the dashboard's read)."""
    await prepare(pilot, ctx)
    if profiler is not None:
        profiler.enable()
    start, cpu = time.perf_counter(), time.process_time()
    await act(pilot, ctx)
    deadline = start + 20.0
    while not done(pilot, ctx):  # polled, not Pilot.pause: that would wait for the whole process to idle
        if time.perf_counter() > deadline:
            raise RuntimeError("never shown: the step's result")
        await asyncio.sleep(0.001)
    painted = await frames.after(time.perf_counter()) - start
    cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
    await until(pilot, lambda: done(pilot, ctx), "the step's result")
    idle = time.perf_counter() - start
    await settle(pilot)
    return painted, cpu, idle


def machine() -> str:
    """One line on the machine and its load."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {load}"


async def run(args: argparse.Namespace) -> None:
    """Build the station, time every step, print the table."""
    import textual

    folder = scratch("bench-tui-")
    started = time.perf_counter()
    database = build_station(folder, args.parts)
    ctx = {"prints": folder / "prints", "receipt": new_receipt(database, counted=False),
           "counted": [new_receipt(database, counted=True) for _ in range(args.rounds)]}
    print(f"station : demo, {args.parts} parts, built in {time.perf_counter() - started:.1f} s")
    print(f"machine : {machine()}")
    print(f"python  : {platform.python_version()}; Textual {textual.__version__}; terminal {SIZE[0]}x{SIZE[1]}")
    print()
    profiler = cProfile.Profile() if args.profile else None
    header = f"{'step (key to painted result)':<42}  {'median':>8}  {'max':>8}  {'target':>8}  result"
    print(header)
    print("-" * len(header))
    for title, signer, prepare, act, done in STEPS:
        if args.only and args.only not in title:
            continue
        times = [await time_step(database, ctx, signer, prepare, act, done, profiler) for _ in range(args.rounds)]
        middle = statistics.median(times)
        result = "PASS" if middle <= TARGET else "SLOW"
        print(f"{title:<42}  {middle * 1000:>6.0f}ms  {max(times) * 1000:>6.0f}ms  {TARGET * 1000:>6.0f}ms  "
              f"{result} (n={len(times)})", flush=True)
    database.dispose()
    if profiler is not None:
        print()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=2000, help="parts in the demo station (the demo's default)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per step; the median is reported")
    parser.add_argument("--only", default="", help="only the steps whose title (or target id: tui-f2) contains this")
    parser.add_argument("--profile", action="store_true", help="cProfile the UI thread over the timed steps")
    parser.add_argument("--documents", type=int, default=0,
                        help="measure at size instead: a station with this many open documents (issue 14: 50000)")
    parser.add_argument("--results", default="", help="append one JSON line per measured target to this file")
    parser.add_argument("--quick", action="store_true",
                        help="the size steps, small: 300 documents, 1 round (a smoke run)")
    parser.add_argument("--db-url", default="",
                        help="the size steps (--documents, --quick) on PostgreSQL: the station's copy there")
    parser.add_argument("--build-into", default="", help=argparse.SUPPRESS)  # the station builder's child process
    parser.add_argument("--session-in", default="", help=argparse.SUPPRESS)  # session_memory's child process
    parser.add_argument("--session-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.documents, args.rounds = 300, 1
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    args = parse_args(argv)
    if args.build_into:
        build_into(Path(args.build_into), args.documents, args.parts)
    elif args.session_in:
        asyncio.run(desk_session(Path(args.session_in), args.session_url))
    elif args.db_url and not args.documents:
        print("bench_tui: --db-url measures the size steps only (--documents N or --quick)", file=sys.stderr)
        return 2
    elif args.documents:
        asyncio.run(run_documents(args))
    else:
        asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
