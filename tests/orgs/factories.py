"""Factories for the organisation models. Every user's password is ``DEFAULT_PASSWORD``;
its argon2 hash is computed once per test run, not once per user."""

from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password

from luoshi.core.clock import now
from luoshi.orgs.choices import UnitKind
from luoshi.orgs.models import Leader, RoleGrant, Unit, UnitClass, User

DEFAULT_PASSWORD = "Luoshi#2026test"


@functools.cache
def default_password_hash() -> str:
    return make_password(DEFAULT_PASSWORD)


class UnitClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitClass
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"class{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    kind = UnitKind.DEPARTMENT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    unit_class = factory.SubFactory(UnitClassFactory, code="dept", name="县直部门")


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    name = factory.Sequence(lambda n: f"领导{n}")
    title = "副县长"
    precedence = factory.Sequence(lambda n: n + 1)


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(roles=["reporter"], unit=unit)``; the password is ``DEFAULT_PASSWORD``
    and already changed (no forced change) unless ``must_change_password=True``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.LazyFunction(default_password_hash)
    must_change_password = False
    password_changed_at = factory.LazyFunction(now)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            RoleGrant.objects.bulk_create([RoleGrant(user=self, role=r) for r in extracted])
            self._role_cache = None
            self._perm_cache = None
