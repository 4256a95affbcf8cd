"""The province (scale data): cities with their departments, counties with departments,
townships, parks and companies, cut at the number of units asked for (6,000 by default),
and accounts up to the number asked for (10,000): every unit a reporter first, then heads."""

from __future__ import annotations

import random
from collections.abc import Iterator

from luoshi.orgs.choices import Role
from luoshi.orgs.seed import data
from luoshi.orgs.seed.build import (
    UnitRow,
    UserRow,
    create_classes,
    create_leaders,
    create_units,
    create_users,
)
from luoshi.orgs.seed.county import demo_rows
from luoshi.orgs.seed.names import NameMaker, PersonName, UsernameBook
from luoshi.orgs.seed.registry import SeedContext, seed_step

DEFAULT_UNITS = 6000
DEFAULT_USERS = 10000
SUPERVISION_OFFICERS = 10
DEMO_LEADER_INDEX = 7  # the first 副市长 of the first city


def city_name(index: int) -> str:
    base = data.CITY_NAMES[index % len(data.CITY_NAMES)]
    return base if index < len(data.CITY_NAMES) else f"{base}{index // len(data.CITY_NAMES) + 1}"


def province_units(rng: random.Random) -> Iterator[UnitRow]:
    """Units in the order a provincial list would show them. Endless: the caller cuts.
    Parents (a city's or county's offices) always come before their subordinate units."""
    dept, town, park, soe, sub = (
        data.CLASS_DEPARTMENT.code,
        data.CLASS_TOWNSHIP.code,
        data.CLASS_PARK.code,
        data.CLASS_ENTERPRISE.code,
        data.CLASS_SUBUNIT.code,
    )
    city_index = 0
    while True:
        city = city_name(city_index) + "市"
        c = f"C{city_index + 1:02d}"
        for d in data.CITY_DEPARTMENTS:
            yield UnitRow(
                f"{c}-{d.code}",
                f"{city}{d.name[1:]}",
                d.short_name,
                data.CLASS_CITY_DEPARTMENT.code,
            )
        yield UnitRow(f"{c}-DCS", f"{city}委市政府督查室", "督查室", sub, parent_code=f"{c}-SWB")
        counties = rng.sample(data.COUNTY_NAMES, rng.randint(6, 10))
        for county_index, county_base in enumerate(counties):
            county = county_base + "县"
            k = f"{c}{county_index + 1:02d}"
            prefix = f"{city}{county}"
            for d in data.DEPARTMENTS:
                yield UnitRow(
                    f"{k}-{d.code}", prefix + d.name[1:], d.short_name, dept, with_head=d.with_head
                )
            # Every county seat is 城关镇; the rest are drawn.
            towns = ["城关镇"] + [
                n + ("乡" if rng.random() < 0.2 else "镇")
                for n in rng.sample(data.TOWN_NAMES[1:], rng.randint(7, 13))
            ]
            towns += [n + "街道" for n in rng.sample(data.STREET_NAMES, rng.randint(0, 3))]
            for t_index, t_name in enumerate(towns):
                yield UnitRow(
                    f"{k}-Z{t_index + 1:02d}", prefix + t_name, t_name, town, with_head=True
                )
            for p_code, p_name, p_short in data.PROVINCE_PARKS[: rng.randint(1, 3)]:
                yield UnitRow(f"{k}-{p_code}", prefix + p_name, p_short, park, with_head=True)
            yield UnitRow(f"{k}-CTJT", f"{prefix}城市建设投资集团有限公司", "城投集团", soe)
            yield UnitRow(
                f"{k}-DCS", f"{prefix}委县政府督查室", "督查室", sub, parent_code=f"{k}-XWB"
            )
            yield UnitRow(
                f"{k}-XMZX", f"{prefix}重点项目服务中心", "项目中心", sub, parent_code=f"{k}-FGJ"
            )
        city_index += 1


def _leader_title(city: str, title: str) -> str:
    """青山 + 市委书记 → 青山市委书记; 青山 + 副市长 → 青山市副市长."""
    return f"{city}{title}" if title.startswith("市") else f"{city}市{title}"


def province_users(
    names: NameMaker,
    units: list[UnitRow],
    leaders: list[tuple[PersonName, str]],
    total: int,
) -> list[UserRow]:
    first_county = next(u.code.split("-")[0] for u in units if u.code.endswith("-FGJ"))
    office_unit = next(u.code for u in units if u.code.endswith("-DCS"))
    rows = demo_rows(
        names,
        office_unit=office_unit,
        leader_index=DEMO_LEADER_INDEX,
        fgj_unit=f"{first_county}-FGJ",
        town_unit=f"{first_county}-Z01",
    )
    rows[1].full_name = leaders[DEMO_LEADER_INDEX][0].full_name
    book = UsernameBook({r.username for r in rows})

    def account(person: PersonName, role: str, suffix: str, **kwargs: object) -> UserRow:
        return UserRow(book.take(person.pinyin, suffix), person.full_name, [role], **kwargs)  # type: ignore[arg-type]

    candidates: list[UserRow] = []
    for _ in range(SUPERVISION_OFFICERS - 1):
        candidates.append(
            account(
                names.person(),
                Role.SUPERVISION_OFFICER,
                office_unit.replace("-", ""),
                unit_code=office_unit,
            )
        )
    for index, (person, city_code) in enumerate(leaders):
        if index != DEMO_LEADER_INDEX:
            candidates.append(account(person, Role.LEADER, city_code, leader_index=index))
    demo_units = {f"{first_county}-FGJ", f"{first_county}-Z01"}
    top_level = [u for u in units if not u.parent_code]
    for unit in top_level:
        if len(rows) + len(candidates) >= total:
            break
        if unit.code not in demo_units:
            candidates.append(
                account(
                    names.person(),
                    Role.UNIT_REPORTER,
                    unit.code.replace("-", ""),
                    unit_code=unit.code,
                )
            )
    # Heads: first where the work is (townships, parks, key departments), then the rest.
    for unit in sorted(top_level, key=lambda u: not u.with_head):
        if len(rows) + len(candidates) >= total:
            break
        if unit.code != f"{first_county}-FGJ":
            candidates.append(
                account(
                    names.person(), Role.UNIT_HEAD, unit.code.replace("-", ""), unit_code=unit.code
                )
            )
    return (rows + candidates)[:total]


@seed_step("orgs.province", scales=("province",), order=100)
def seed_province(ctx: SeedContext) -> None:
    """Unit classes, units, leaders and accounts of a province-sized deployment."""
    units_wanted = ctx.units or DEFAULT_UNITS
    users_wanted = ctx.users or DEFAULT_USERS
    classes = create_classes(data.PROVINCE_CLASSES)
    generator = province_units(ctx.rng("orgs.units"))
    units = [next(generator) for _ in range(units_wanted)]
    # A cut in the middle of a county may leave a subordinate unit without its parent.
    codes = {u.code for u in units}
    units = [u for u in units if not u.parent_code or u.parent_code in codes]
    while len(units) < units_wanted:
        row = next(generator)
        if not row.parent_code:
            units.append(row)
    unit_ids = create_units(units, classes)
    ctx.log(f"  units: {len(unit_ids)}")

    names = NameMaker(ctx.rng("orgs.people"))
    cities = sorted({u.code.split("-")[0][:3] for u in units})
    leader_people = [
        (names.person(), city, title) for city in cities for title in data.CITY_LEADER_TITLES
    ]
    leaders = create_leaders(
        [
            (p.full_name, _leader_title(city_name(int(city[1:]) - 1), title))
            for p, city, title in leader_people
        ]
    )
    rows = province_users(names, units, [(p, city) for p, city, _ in leader_people], users_wanted)
    users = create_users(rows, unit_ids=unit_ids, leaders=leaders)
    ctx.log(f"  users: {len(users)}")
    ctx.shared.update(unit_ids=unit_ids, leader_ids=[leader.pk for leader in leaders])
    ctx.count("unit classes", len(classes))
    ctx.count("units", len(unit_ids))
    ctx.count("leaders", len(leaders))
    ctx.count("users", len(users))
