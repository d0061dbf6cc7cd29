"""Part search as the storekeeper types: number prefix first, then substrings of numbers and names."""

import pytest

from core.roles import Role
from core.services import catalog, operators, part_import
from tests.helpers import SAMPLES, make_staff
from tests.helpers.staff import PIN


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
        part_import.import_parts(SAMPLES / "parts_master_gb18030.csv", actor=staff[Role.PLANNER], uow=uow)
        catalog.add_part("5C6 941 005 B", "Headlamp, right", model_series="GOLF", price="1200",
                         actor=staff[Role.PLANNER], uow=uow)
        for n in range(60):
            catalog.add_part(f"9000{n:04d}", f"Filter variant {n}", price="1", actor=staff[Role.PLANNER],
                             uow=uow)
    return any_db


def _search(db, query, limit=50):
    with db.reading() as uow:
        return [h.part_no for h in catalog.search_parts(query, uow=uow, limit=limit)]


def test_prefix_of_the_part_number_comes_first(station):
    hits = _search(station, "1330")
    assert hits[:2] == ["13301204", "13301205"]


def test_the_number_is_matched_normalised(station):
    assert _search(station, "5c6 941") == ["5C6941005B"]
    assert _search(station, "5C6941005B") == ["5C6941005B"]


@pytest.mark.parametrize("query, part_no", [
    ("brake", "96536697"),       # English word inside the name
    ("BRAKE PAD", "96536697"),   # case-insensitive
    ("滤清器", "96800106"),       # Chinese, three characters: the trigram index on SQLite
    ("滤清", "96800106"),         # Chinese, two characters: a scan
    ("941005", "5C6941005B"),    # inside the part number
    ("wind", "95486621"),
])
def test_substrings_of_names_and_numbers(station, query, part_no):
    assert part_no in _search(station, query)


def test_nothing_found_and_empty_queries(station):
    assert _search(station, "zzzzqqq") == []
    assert _search(station, "   ") == []
    assert _search(station, "%") == []  # LIKE wildcards are matched literally


def test_never_more_hits_than_asked(station):
    assert len(_search(station, "filter", limit=7)) == 7
    assert len(_search(station, "9000", limit=5)) == 5


def test_hits_carry_location_and_on_hand(station):
    with station.reading() as uow:
        hit = catalog.search_parts("96800106", uow=uow)[0]
    assert hit.location == "EXC-01-01-01" and hit.on_hand == 0 and hit.name_zh == "机油滤清器"


def test_a_renamed_part_is_found_by_its_new_chinese_name_only(station, tmp_path):
    """Re-importing a known part with another Chinese name replaces its grams: the new name finds it, the old no
    longer does."""
    (tmp_path / "renamed.csv").write_text("零件号,名称,车型,单位,单价,易损件,库位\n"
                                          "96800106,机油格,EXCELLE,个,38.50,否,EXC-01-01-01\n", encoding="utf-8")
    with station.writing() as uow:
        planner = operators.authenticate("PLAN1", PIN, uow=uow)
        part_import.import_parts(tmp_path / "renamed.csv", actor=planner, uow=uow)
    assert "96800106" in _search(station, "机油格") and "96800106" not in _search(station, "滤清器")

