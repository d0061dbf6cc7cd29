"""The demo at a size past the old failure: every generated bin follows the location scheme, the books agree."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import tables as t
from core.codes import LOCATION_PATTERN
from core.services.stock import invariant_violations
from data import demo
from data.db import Database
from data.demo import ZONE_BINS, demo_location, seed_demo


def test_every_generated_bin_of_a_zone_is_a_valid_code_and_none_repeats():
    # Both ends of both ranges, and a stride through the zone: the codes are the scheme's and all differ.
    numbers = sorted({0, 1, demo.SMALL_ZONE - 1, demo.SMALL_ZONE, ZONE_BINS - 1, *range(0, ZONE_BINS, 997)})
    codes = [demo_location("REG", n) for n in numbers]
    assert all(LOCATION_PATTERN.match(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert demo_location("REG", 0) == "REG-11-01-01" and demo_location("REG", demo.SMALL_ZONE) == "REG-11-06-01"
    with pytest.raises(ValueError):
        demo_location("REG", ZONE_BINS)
    # Enough bins for the largest demo the CLI allows, even were every part in one zone.
    assert ZONE_BINS >= 500_000


def test_a_demo_past_30000_parts_is_made_and_its_books_agree(tmp_path):
    # 30,001 parts: the size that failed on REG-100-01-01 (a zone's 4,451st bin). About 30 s on a quiet machine.
    database = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    try:
        result = seed_demo(database, parts=30_001)
        assert result.parts == 30_001
        with database.reading() as uow:
            assert invariant_violations(uow=uow) == []
            with uow.read() as conn:
                assert conn.execute(select(func.count()).select_from(t.part)).scalar_one() == 30_001
                codes = conn.execute(select(t.location.c.code)).scalars().all()
        assert all(LOCATION_PATTERN.match(code) for code in codes)
    finally:
        database.dispose()
