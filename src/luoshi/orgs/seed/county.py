"""The demo county (county scale): 35 departments, 12 townships and streets, 3 parks,
3 state-owned companies, a few subordinate units, 15 county leaders and about 100 accounts."""

from __future__ import annotations

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
from luoshi.orgs.seed.names import NameMaker, PersonName, UsernameBook
from luoshi.orgs.seed.registry import SeedContext, seed_step

SUPERVISION_OFFICERS = 4  # the demo's "office" and three colleagues


def demo_rows(
    names: NameMaker,
    *,
    office_unit: str,
    leader_index: int,
    fgj_unit: str,
    town_unit: str,
) -> list[UserRow]:
    """The printed demo logins. Business roles get a person's name; the three admins are
    function accounts and, as 三员分立 requires, hold one admin role each and nothing else."""
    return [
        UserRow(
            "office",
            names.person().full_name,
            [Role.SUPERVISION_OFFICER],
            unit_code=office_unit,
            demo=True,
        ),
        UserRow("leader", "", [Role.LEADER], leader_index=leader_index, demo=True),
        UserRow(
            "head_fgj", names.person().full_name, [Role.UNIT_HEAD], unit_code=fgj_unit, demo=True
        ),
        UserRow(
            "reporter_fgj",
            names.person().full_name,
            [Role.UNIT_REPORTER],
            unit_code=fgj_unit,
            demo=True,
        ),
        UserRow(
            "reporter_town",
            names.person().full_name,
            [Role.UNIT_REPORTER],
            unit_code=town_unit,
            demo=True,
        ),
        UserRow("sysadmin", "系统管理员", [Role.SYSTEM_ADMIN], demo=True),
        UserRow("secadmin", "安全管理员", [Role.SECURITY_ADMIN], demo=True),
        UserRow("auditadmin", "审计管理员", [Role.AUDIT_ADMIN], demo=True),
    ]


def county_units() -> list[UnitRow]:
    rows: list[UnitRow] = []
    for specs, cls in (
        (data.DEPARTMENTS, data.CLASS_DEPARTMENT),
        (data.TOWNSHIPS, data.CLASS_TOWNSHIP),
        (data.PARKS, data.CLASS_PARK),
        (data.ENTERPRISES, data.CLASS_ENTERPRISE),
    ):
        rows.extend(
            UnitRow(s.code, s.name, s.short_name, cls.code, with_head=s.with_head) for s in specs
        )
    rows.extend(
        UnitRow(s.code, s.name, s.short_name, data.CLASS_SUBUNIT.code, parent_code=s.parent_code)
        for s in data.SUBUNITS
    )
    return rows


def county_users(
    names: NameMaker, units: list[UnitRow], leaders: list[PersonName]
) -> list[UserRow]:
    fgj, town = "FGJ", data.TOWNSHIPS[0].code
    rows = demo_rows(
        names,
        office_unit=data.SUPERVISION_OFFICE_CODE,
        leader_index=data.DEMO_LEADER_INDEX,
        fgj_unit=fgj,
        town_unit=town,
    )
    # The demo leader account carries the leader's own name.
    rows[1].full_name = leaders[data.DEMO_LEADER_INDEX].full_name
    book = UsernameBook({r.username for r in rows})

    def account(role: str, unit_code: str = "", leader_index: int | None = None) -> UserRow:
        person = leaders[leader_index] if leader_index is not None else names.person()
        username = book.take(person.pinyin, unit_code)
        return UserRow(
            username, person.full_name, [role], unit_code=unit_code, leader_index=leader_index
        )

    for _ in range(SUPERVISION_OFFICERS - 1):
        rows.append(account(Role.SUPERVISION_OFFICER, data.SUPERVISION_OFFICE_CODE))
    for index in range(len(leaders)):
        if index != data.DEMO_LEADER_INDEX:
            rows.append(account(Role.LEADER, leader_index=index))
    for unit in units:
        if unit.parent_code:
            continue  # subordinate units report through their parent
        if unit.code not in (fgj, town):
            rows.append(account(Role.UNIT_REPORTER, unit.code))
        if unit.with_head and unit.code != fgj:
            rows.append(account(Role.UNIT_HEAD, unit.code))
    return rows


@seed_step("orgs.county", scales=("county",), order=100)
def seed_county(ctx: SeedContext) -> None:
    """Unit classes, units, leaders and accounts of the demo county."""
    names = NameMaker(ctx.rng("orgs.people"), unique=True)
    classes = create_classes(data.COUNTY_CLASSES)
    units = county_units()
    unit_ids = create_units(units, classes)
    people = [names.person() for _ in data.COUNTY_LEADER_TITLES]
    leaders = create_leaders(
        [(p.full_name, t) for p, t in zip(people, data.COUNTY_LEADER_TITLES, strict=True)]
    )
    users = create_users(county_users(names, units, people), unit_ids=unit_ids, leaders=leaders)
    ctx.shared.update(unit_ids=unit_ids, leader_ids=[leader.pk for leader in leaders])
    ctx.count("unit classes", len(classes))
    ctx.count("units", len(unit_ids))
    ctx.count("leaders", len(leaders))
    ctx.count("users", len(users))
