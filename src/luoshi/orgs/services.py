"""Writes of the organisation: unit classes, units, leaders, user accounts and roles.

Every function checks the actor's capability, validates everything before it writes
anything (so a refusal changes nothing), runs in one transaction and records an audit
entry with the before and after values.

Units and leaders are never deleted, only deactivated: monthly reports, supervision items,
scores and the audit trail keep pointing at them for years, and a deleted unit would break
the promise that every figure can be traced back to the report that produced it. A unit
class may be deleted while no unit uses it (a class created by mistake).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.core.permissions import Perm, require
from luoshi.orgs.choices import ADMIN_ROLES, UNIT_ROLES, Role, UnitKind
from luoshi.orgs.models import Leader, RoleGrant, Unit, UnitClass, User

UNIT_CLASS_FIELDS = ["code", "name", "kind", "order"]
UNIT_FIELDS = ["code", "name", "short_name", "unit_class", "parent", "is_active", "order"]
LEADER_FIELDS = ["name", "title", "precedence", "is_active"]
USER_FIELDS = ["username", "full_name", "phone", "unit", "leader", "is_active"]


class UnitClassData(TypedDict):
    code: str
    name: str
    kind: str
    order: int


class UnitData(TypedDict):
    code: str
    name: str
    short_name: str
    unit_class: UnitClass
    parent: Unit | None
    is_active: bool
    order: int


class LeaderData(TypedDict):
    name: str
    title: str
    precedence: int
    is_active: bool
    username: str  # the linked account, "" for none


class UserData(TypedDict):
    username: str
    full_name: str
    phone: str
    unit: Unit | None
    leader: Leader | None
    is_active: bool


def _text(value: Any) -> str:
    return (value or "").strip()


def _required(value: str, field: str, label: str) -> None:
    if not value:
        raise DomainError(_("%(field)s is required.") % {"field": label}, field=field)


def _changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before != after


def _validate_model(obj: Any, exclude: list[str]) -> None:
    """Field-level checks of the model (lengths, choices); uniqueness is checked by the
    services themselves so the message can name the clashing object."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(" ".join(messages), field=None if field == "__all__" else field) from exc


# ---------------------------------------------------------------------------------------
# Unit classes (单位类别)


def _unit_class_apply(obj: UnitClass, data: UnitClassData) -> None:
    code, name = _text(data.get("code")), _text(data.get("name"))
    _required(code, "code", _("Code"))
    _required(name, "name", _("Name"))
    clash = UnitClass.objects.filter(code__iexact=code).exclude(pk=obj.pk).first()
    if clash:
        raise DomainError(
            _("The code “%(code)s” is already used by the unit class “%(name)s”.")
            % {"code": clash.code, "name": clash.name},
            field="code",
        )
    clash = UnitClass.objects.filter(name__iexact=name).exclude(pk=obj.pk).first()
    if clash:
        raise DomainError(
            _("A unit class named “%(name)s” already exists.") % {"name": clash.name}, field="name"
        )
    obj.code, obj.name = code, name
    obj.kind = data.get("kind") or UnitKind.DEPARTMENT
    obj.order = data.get("order") or 0
    _validate_model(obj, exclude=[])


@transaction.atomic
def unit_class_create(*, actor: User, data: UnitClassData) -> UnitClass:
    """Create a unit class (单位类别), the group its units are ranked in."""
    require(actor, Perm.MANAGE_ORG)
    obj = UnitClass()
    _unit_class_apply(obj, data)
    obj.save()
    audit_record(
        action=AuditAction.CREATE, actor=actor, obj=obj, after=snapshot(obj, UNIT_CLASS_FIELDS)
    )
    return obj


@transaction.atomic
def unit_class_update(*, actor: User, unit_class: UnitClass, data: UnitClassData) -> UnitClass:
    """Change a unit class's code, name, kind or order."""
    require(actor, Perm.MANAGE_ORG)
    obj = UnitClass.objects.select_for_update().get(pk=unit_class.pk)
    before = snapshot(obj, UNIT_CLASS_FIELDS)
    _unit_class_apply(obj, data)
    after = snapshot(obj, UNIT_CLASS_FIELDS)
    if _changed(before, after):
        obj.save()
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=before, after=after)
    return obj


@transaction.atomic
def unit_class_delete(*, actor: User, unit_class: UnitClass) -> None:
    """Delete a unit class that no unit uses; refuse otherwise (units keep their class)."""
    require(actor, Perm.MANAGE_ORG)
    obj = UnitClass.objects.select_for_update().get(pk=unit_class.pk)
    n = obj.units.count()
    if n:
        raise DomainError(
            ngettext(
                "The unit class “%(name)s” cannot be deleted: %(n)d unit belongs to it. "
                "Move it to another class first.",
                "The unit class “%(name)s” cannot be deleted: %(n)d units belong to it. "
                "Move them to another class first.",
                n,
            )
            % {"name": obj.name, "n": n}
        )
    before = snapshot(obj, UNIT_CLASS_FIELDS)
    audit_record(action=AuditAction.DELETE, actor=actor, obj=obj, before=before)
    obj.delete()


# ---------------------------------------------------------------------------------------
# Units (单位)


def parent_chain(unit: Unit, parent: Unit) -> list[Unit] | None:
    """If ``parent`` is ``unit`` itself or one of its sub-units, the chain from ``unit``
    down to ``parent`` (the cycle that choosing it would close); otherwise None.

    Walks up from ``parent``; the depth of a county's tree is a handful of levels. The
    ``seen`` set stops the walk even if the stored data already holds a cycle."""
    if unit.pk is None:
        return None
    path: list[Unit] = []
    seen: set[int] = set()
    node: Unit | None = parent
    while node is not None and node.pk not in seen:
        path.append(node)
        if node.pk == unit.pk:
            return list(reversed(path))
        seen.add(node.pk)
        node = (
            Unit.objects.only("id", "name", "parent_id").filter(pk=node.parent_id).first()
            if node.parent_id
            else None
        )
    return None


def _unit_apply(obj: Unit, data: UnitData) -> None:
    code, name = _text(data.get("code")), _text(data.get("name"))
    _required(name, "name", _("Name"))
    _required(code, "code", _("Code"))
    clash = Unit.objects.filter(code__iexact=code).exclude(pk=obj.pk).first()
    if clash:
        raise DomainError(
            _("The code “%(code)s” is already used by “%(name)s”. Each unit needs its own code.")
            % {"code": clash.code, "name": clash.name},
            field="code",
        )
    unit_class = data.get("unit_class")
    if unit_class is None:
        raise DomainError(_("Choose the unit class."), field="unit_class")
    is_active = bool(data.get("is_active", True))
    parent = data.get("parent")
    if parent is not None:
        if obj.pk is not None and parent.pk == obj.pk:
            raise DomainError(_("A unit cannot be its own parent."), field="parent")
        chain = parent_chain(obj, parent)
        if chain:
            raise DomainError(
                _(
                    "“%(parent)s” cannot be the parent of “%(unit)s”: it is already one of its "
                    "sub-units (%(chain)s), so the units would contain each other."
                )
                % {
                    "parent": parent.name,
                    "unit": obj.name,
                    "chain": " → ".join(u.name for u in chain),
                },
                field="parent",
            )
        if is_active and not parent.is_active:
            raise DomainError(
                _(
                    "The parent unit “%(parent)s” is inactive. Choose an active parent, or "
                    "reactivate “%(parent)s” first."
                )
                % {"parent": parent.name},
                field="parent",
            )
    if obj.pk is not None and obj.is_active and not is_active:
        _check_can_deactivate(obj)
    obj.code, obj.name = code, name
    obj.short_name = _text(data.get("short_name"))
    obj.unit_class = unit_class
    obj.parent = parent
    obj.is_active = is_active
    obj.order = data.get("order") or 0
    _validate_model(obj, exclude=["unit_class", "parent"])


def _check_can_deactivate(unit: Unit) -> None:
    """An inactive unit must not keep active sub-units or active accounts: its people
    would go on signing in and reporting for a unit that no longer exists."""
    children = list(unit.children.filter(is_active=True).values_list("name", flat=True)[:4])
    if children:
        n = unit.children.filter(is_active=True).count()
        names = "、".join(children[:3]) + ("…" if n > 3 else "")
        raise DomainError(
            ngettext(
                "“%(unit)s” still has %(n)d active sub-unit (%(names)s). Deactivate or move it "
                "first.",
                "“%(unit)s” still has %(n)d active sub-units (%(names)s). Deactivate or move "
                "them first.",
                n,
            )
            % {"unit": unit.name, "n": n, "names": names},
            field="is_active",
        )
    n = unit.users.filter(is_active=True).count()
    if n:
        raise DomainError(
            ngettext(
                "“%(unit)s” still has %(n)d active user account. Move it to another unit or "
                "deactivate it first.",
                "“%(unit)s” still has %(n)d active user accounts. Move them to another unit or "
                "deactivate them first.",
                n,
            )
            % {"unit": unit.name, "n": n},
            field="is_active",
        )


def _save_unique(obj: Any, field: str) -> None:
    """Save, turning a unique clash that slipped past the check (two admins at the same
    moment) into the same kind of message."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise DomainError(
            _("This %(field)s was just taken by someone else. Please choose another.")
            % {"field": obj._meta.get_field(field).verbose_name},
            field=field,
        ) from exc


@transaction.atomic
def unit_create(*, actor: User, data: UnitData) -> Unit:
    """Create a unit (单位)."""
    require(actor, Perm.MANAGE_ORG)
    obj = Unit()
    _unit_apply(obj, data)
    _save_unique(obj, "code")
    audit_record(action=AuditAction.CREATE, actor=actor, obj=obj, after=snapshot(obj, UNIT_FIELDS))
    return obj


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, data: UnitData) -> Unit:
    """Change a unit, including moving it under another parent or deactivating it."""
    require(actor, Perm.MANAGE_ORG)
    obj = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(obj, UNIT_FIELDS)
    _unit_apply(obj, data)
    after = snapshot(obj, UNIT_FIELDS)
    if _changed(before, after):
        _save_unique(obj, "code")
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=before, after=after)
    return obj


# ---------------------------------------------------------------------------------------
# Leaders (领导)


def _leader_snapshot(obj: Leader, account: User | None) -> dict[str, Any]:
    data = snapshot(obj, LEADER_FIELDS)
    data["user"] = account.pk if account else None
    return data


def _leader_account(obj: Leader) -> User | None:
    if obj.pk is None:
        return None
    return User.objects.filter(leader=obj).first()


@transaction.atomic
def _leader_save(*, actor: User, obj: Leader, data: LeaderData) -> Leader:
    creating = obj.pk is None
    current = _leader_account(obj)
    before = None if creating else _leader_snapshot(obj, current)

    name, title = _text(data.get("name")), _text(data.get("title"))
    _required(name, "name", _("Name"))
    _required(title, "title", _("Title"))
    username = _text(data.get("username"))
    account = None
    if username:
        account = User.objects.select_for_update().filter(username__iexact=username).first()
        if account is None:
            raise DomainError(
                _("There is no user account “%(username)s”.") % {"username": username},
                field="username",
            )
        if account.leader_id and account.leader_id != obj.pk:
            raise DomainError(
                _("The account “%(username)s” is already linked to %(leader)s.")
                % {"username": account.username, "leader": account.leader},
                field="username",
            )
    obj.name, obj.title = name, title
    obj.precedence = data.get("precedence") if data.get("precedence") is not None else 100
    obj.is_active = bool(data.get("is_active", True))
    _validate_model(obj, exclude=[])
    obj.save()
    if current is not None and (account is None or current.pk != account.pk):
        current.leader = None
        current.save(update_fields=["leader"])
    if account is not None and account.leader_id != obj.pk:
        account.leader = obj
        account.save(update_fields=["leader"])
    after = _leader_snapshot(obj, account)
    if creating:
        audit_record(action=AuditAction.CREATE, actor=actor, obj=obj, after=after)
    elif _changed(before, after):
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=before, after=after)
    return obj


def leader_create(*, actor: User, data: LeaderData) -> Leader:
    """Create a leader (领导) with title and order of precedence, optionally linked to the
    account the leader signs in with."""
    require(actor, Perm.MANAGE_ORG)
    return _leader_save(actor=actor, obj=Leader(), data=data)


def leader_update(*, actor: User, leader: Leader, data: LeaderData) -> Leader:
    """Change a leader; an empty username unlinks the account."""
    require(actor, Perm.MANAGE_ORG)
    return _leader_save(actor=actor, obj=Leader.objects.get(pk=leader.pk), data=data)


# ---------------------------------------------------------------------------------------
# User accounts (用户)


def _validate_password(password: str, user: User) -> None:
    if not password:
        raise DomainError(_("Set an initial password."), field="password1")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password1") from exc


def _refuse_for_admin(obj: User, message: str, *, field: str) -> None:
    """The system administrator cannot disable or take over another administrator's
    account (三员分立): the security administrator revokes the admin role first.
    ``message`` has the placeholders %(username)s and %(role)s."""
    admin = [r for r in Role.values if r in ADMIN_ROLES and obj.has_role(r)]
    if admin:
        raise DomainError(
            message % {"username": obj.username, "role": _role_names(admin)}, field=field
        )


def _user_apply(obj: User, data: UserData, *, actor: User) -> None:
    username = _text(data.get("username"))
    _required(username, "username", _("Username"))
    clash = User.objects.filter(username__iexact=username).exclude(pk=obj.pk).first()
    if clash:
        raise DomainError(
            _("The username “%(username)s” is already taken by %(name)s.")
            % {"username": clash.username, "name": clash.display_name},
            field="username",
        )
    unit = data.get("unit")
    if unit is not None and not unit.is_active and unit.pk != obj.unit_id:
        raise DomainError(
            _("The unit “%(unit)s” is inactive; choose an active unit.") % {"unit": unit.name},
            field="unit",
        )
    if unit is None and obj.pk is not None:
        unit_roles = [Role(r).label for r in Role.values if r in UNIT_ROLES and obj.has_role(r)]
        if unit_roles:
            raise DomainError(
                _(
                    "This account holds the role %(roles)s, which needs a unit. Ask the "
                    "security administrator to remove the role first."
                )
                % {"roles": "、".join(str(r) for r in unit_roles)},
                field="unit",
            )
    leader = data.get("leader")
    if leader is not None:
        holder = User.objects.filter(leader=leader).exclude(pk=obj.pk).first()
        if holder:
            raise DomainError(
                _("The leader %(leader)s is already linked to the account “%(username)s”.")
                % {"leader": leader, "username": holder.username},
                field="leader",
            )
    is_active = bool(data.get("is_active", True))
    if obj.pk is not None and obj.is_active and not is_active:
        if obj.pk == actor.pk:
            raise DomainError(_("You cannot deactivate your own account."), field="is_active")
        _refuse_for_admin(
            obj,
            _(
                "“%(username)s” holds the role %(role)s and cannot be deactivated here. Ask "
                "the security administrator to revoke the role first."
            ),
            field="is_active",
        )
    obj.username = username
    obj.full_name = _text(data.get("full_name"))
    obj.phone = _text(data.get("phone"))
    obj.unit = unit
    obj.leader = leader
    obj.is_active = is_active
    _validate_model(obj, exclude=["password", "unit", "leader"])


@transaction.atomic
def user_create(*, actor: User, data: UserData, password: str) -> User:
    """Create an account with an initial password that the user must change at the first
    sign-in. Roles are not set here: the security administrator grants them (三员分立)."""
    require(actor, Perm.MANAGE_USERS)
    obj = User()
    _user_apply(obj, data, actor=actor)
    _validate_password(password, obj)
    obj.set_password(password)
    obj.must_change_password = True
    obj.password_changed_at = None
    _save_unique(obj, "username")
    audit_record(action=AuditAction.CREATE, actor=actor, obj=obj, after=snapshot(obj, USER_FIELDS))
    return obj


@transaction.atomic
def user_update(*, actor: User, user: User, data: UserData) -> User:
    """Change an account's name, phone, unit, linked leader or active flag (not roles,
    not the password)."""
    require(actor, Perm.MANAGE_USERS)
    obj = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(obj, USER_FIELDS)
    _user_apply(obj, data, actor=actor)
    after = snapshot(obj, USER_FIELDS)
    if _changed(before, after):
        _save_unique(obj, "username")
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=before, after=after)
    return obj


@transaction.atomic
def user_reset_password(*, actor: User, user: User, password: str) -> User:
    """Give an account a new initial password; the user must change it at the next
    sign-in. Sessions signed in with the old password end (Django checks the hash)."""
    require(actor, Perm.MANAGE_USERS)
    obj = User.objects.select_for_update().get(pk=user.pk)
    if obj.pk == actor.pk:
        raise DomainError(
            _("Change your own password on the “Change password” page."), field="password1"
        )
    _refuse_for_admin(
        obj,
        _(
            "“%(username)s” holds the role %(role)s: an administrator's password cannot be "
            "reset by another administrator. Ask the security administrator to revoke the "
            "role first, or reset it on the server with “luoshi changepassword”."
        ),
        field="password1",
    )
    _validate_password(password, obj)
    obj.set_password(password)
    obj.must_change_password = True
    obj.password_changed_at = None
    obj.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        action=AuditAction.PASSWORD_RESET,
        actor=actor,
        obj=obj,
        after={"must_change_password": True},
    )
    return obj


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> User:
    """Open an account locked after repeated failed sign-ins (security administrator)."""
    require(actor, Perm.UNLOCK_USERS)
    obj = User.objects.select_for_update().get(pk=user.pk)
    if obj.locked_until is None and not obj.failed_logins:
        raise DomainError(
            _("The account “%(username)s” is not locked.") % {"username": obj.username}
        )
    before = {"locked_until": obj.locked_until, "failed_logins": obj.failed_logins}
    obj.locked_until = None
    obj.failed_logins = 0
    obj.save(update_fields=["locked_until", "failed_logins"])
    audit_record(
        action=AuditAction.UNLOCK,
        actor=actor,
        obj=obj,
        before=before,
        after={"locked_until": None, "failed_logins": 0},
    )
    return obj


# ---------------------------------------------------------------------------------------
# Roles (角色授权)


def _ordered(roles: Iterable[str]) -> list[str]:
    wanted = set(roles)
    return [r for r in Role.values if r in wanted]


def _role_names(roles: Iterable[str]) -> str:
    return "、".join(str(Role(r).label) for r in _ordered(roles))


def roles_check(*, actor: User, user: User, roles: Iterable[str]) -> list[str]:
    """The rules of role assignment; returns the roles in canonical order or raises.

    - at most one of the three admin roles, and then no business role (三员分立);
    - a unit reporter or unit head belongs to a unit;
    - the security administrator cannot change their own roles.
    """
    wanted = list(dict.fromkeys(roles))
    unknown = [r for r in wanted if r not in Role.values]
    if unknown:
        raise DomainError(
            _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)}, field="roles"
        )
    if user.pk == actor.pk:
        raise DomainError(
            _("You cannot change your own roles. Another security administrator must do it."),
            field="roles",
        )
    admin = [r for r in wanted if r in ADMIN_ROLES]
    if len(admin) > 1:
        raise DomainError(
            _(
                "One person cannot hold two administrator roles (%(roles)s): the system, "
                "security and audit administrators must be different people."
            )
            % {"roles": _role_names(admin)},
            field="roles",
        )
    business = [r for r in wanted if r not in ADMIN_ROLES]
    if admin and business:
        raise DomainError(
            _(
                "An administrator role (%(admin)s) cannot be combined with business roles "
                "(%(business)s)."
            )
            % {"admin": _role_names(admin), "business": _role_names(business)},
            field="roles",
        )
    needs_unit = [r for r in wanted if r in UNIT_ROLES]
    if needs_unit and user.unit_id is None:
        raise DomainError(
            _(
                "%(roles)s can only be given to an account that belongs to a unit. Ask the "
                "system administrator to set the unit of “%(username)s” first."
            )
            % {"roles": _role_names(needs_unit), "username": user.username},
            field="roles",
        )
    return _ordered(wanted)


@transaction.atomic
def roles_set(*, actor: User, user: User, roles: Iterable[str]) -> User:
    """Set exactly ``roles`` on ``user``: grant the missing ones, revoke the others. Each
    grant and each revocation is one audit entry with the role lists before and after."""
    require(actor, Perm.ASSIGN_ROLES)
    obj = User.objects.select_for_update().get(pk=user.pk)
    after = roles_check(actor=actor, user=obj, roles=roles)
    before = _ordered(RoleGrant.objects.filter(user=obj).values_list("role", flat=True))
    granted = [r for r in after if r not in before]
    revoked = [r for r in before if r not in after]
    if revoked:
        RoleGrant.objects.filter(user=obj, role__in=revoked).delete()
    if granted:
        stamp = now()
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=obj, role=r, granted_by=actor, granted_at=stamp) for r in granted]
        )
    for role in revoked:
        audit_record(
            action=AuditAction.ROLE_REVOKE,
            actor=actor,
            obj=obj,
            before={"roles": before},
            after={"roles": after, "revoked": role},
        )
    for role in granted:
        audit_record(
            action=AuditAction.ROLE_GRANT,
            actor=actor,
            obj=obj,
            before={"roles": before},
            after={"roles": after, "granted": role},
        )
    obj._role_cache = None
    obj._perm_cache = None
    return obj
