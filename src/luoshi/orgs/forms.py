"""Forms of the organisation pages. They only parse input; the services validate the
business rules and write (plain ``Form``s, so a failed save never touches a model)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.choices import Role, UnitKind
from luoshi.orgs.models import Leader, Unit, UnitClass

ACTIVE_CHOICES = [("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))]


def parse_bool(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def parse_id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.code}）"


class UnitClassForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=64)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    order = forms.IntegerField(
        label=_("Order"), min_value=0, initial=0, help_text=_("Smaller numbers come first.")
    )


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    short_name = forms.CharField(
        label=_("Short name"), max_length=50, required=False, help_text=_("e.g. 发改局")
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Unique, letters and digits; not case-sensitive (FGJ and fgj are the same)."),
    )
    unit_class = forms.ModelChoiceField(label=_("Unit class"), queryset=UnitClass.objects.none())
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— none (top level) —"),
    )
    order = forms.IntegerField(
        label=_("Order"), min_value=0, initial=0, help_text=_("Smaller numbers come first.")
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_(
            "Units are never deleted, because reports and scores keep referring to them. "
            "Untick to retire a unit: it disappears from choice lists but its history stays."
        ),
    )

    def __init__(
        self, *args: Any, unit_classes: Any, parents: Any, unit: Unit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_class"].queryset = unit_classes
        if unit is not None:
            # The current parent stays choosable even if it is inactive.
            parents = parents | Unit.objects.filter(pk=unit.parent_id)
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents

    @staticmethod
    def initial_of(unit: Unit) -> dict[str, Any]:
        return {
            "name": unit.name,
            "short_name": unit.short_name,
            "code": unit.code,
            "unit_class": unit.unit_class_id,
            "parent": unit.parent_id,
            "order": unit.order,
            "is_active": unit.is_active,
        }


class LeaderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=64, help_text=_("e.g. 县长, 常务副县长"))
    precedence = forms.IntegerField(
        label=_("Order of precedence"),
        min_value=0,
        initial=100,
        help_text=_("Leaders are listed by this number, smallest first."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    username = forms.CharField(
        label=_("Linked user account"),
        max_length=150,
        required=False,
        help_text=_("The username this leader signs in with; leave empty for none."),
    )

    @staticmethod
    def initial_of(leader: Leader) -> dict[str, Any]:
        account = getattr(leader, "user", None)
        return {
            "name": leader.name,
            "title": leader.title,
            "precedence": leader.precedence,
            "is_active": leader.is_active,
            "username": account.username if account else "",
        }


class UserForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to sign in; unique, not case-sensitive."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=32, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— none (leaders and administrators) —"),
    )
    leader = forms.ModelChoiceField(
        label=_("Linked leader"),
        queryset=Leader.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_("Only for the account of a county leader."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive account cannot sign in; its history stays."),
    )

    def __init__(self, *args: Any, units: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = leaders

    @staticmethod
    def initial_of(user: Any) -> dict[str, Any]:
        return {
            "username": user.username,
            "full_name": user.full_name,
            "phone": user.phone,
            "unit": user.unit_id,
            "leader": user.leader_id,
            "is_active": user.is_active,
        }


class PasswordSetForm(forms.Form):
    """An initial password set by the system administrator; the user changes it at the
    first sign-in."""

    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords do not match."))
        return data


class UserCreateForm(UserForm, PasswordSetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["username", "full_name", "phone", "unit", "leader", "is_active"])


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
