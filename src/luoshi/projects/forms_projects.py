"""Forms of the office's project pages. They only parse input; ``services_projects``
validates the business rules and writes (plain ``Form``s, so a failed save never touches a
model)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from luoshi.core.money import MoneyParseError, parse_money
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.choices import MilestoneKind, Stage
from luoshi.projects.models import Category, Project
from luoshi.projects.unit_picker import UnitPicker


class MoneyField(forms.CharField):
    """万元 with two decimals; accepts "3,200.5", full-width digits, blanks."""

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "maxlength": "24"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if len(text) > 24:
            raise forms.ValidationError(_("Enter an amount in 10k yuan, e.g. 3,200.50."))
        try:
            return parse_money(text)
        except MoneyParseError as exc:
            raise forms.ValidationError(
                _("Enter an amount in 10k yuan, e.g. 3,200.50."), code="money"
            ) from exc

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.code}）"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.code}）"


class LeaderMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Leader) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class ProjectForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Project name"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.CONTINUING)
    content = forms.CharField(
        label=_("Construction content and scale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    total_investment = MoneyField(label=_("Total investment (10k yuan)"))
    annual_plan = MoneyField(label=_("Annual planned investment (10k yuan)"))
    start_year = forms.IntegerField(label=_("Start year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("End year"), min_value=2000, max_value=2100)
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    cooperating_units = UnitMultipleChoiceField(
        label=_("Cooperating units"), queryset=Unit.objects.none(), required=False
    )
    leaders = LeaderMultipleChoiceField(
        label=_("Responsible leaders"), queryset=Leader.objects.none(), required=False
    )
    is_published = forms.BooleanField(label=_("Published on the openness page"), required=False)

    def __init__(
        self,
        *args: Any,
        categories: Any,
        units: Any,
        leaders: Any,
        unit_picker_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        """``unit_picker_url``: list only the chosen units, with a search (many units)."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["responsible_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units
        self.fields["leaders"].queryset = leaders
        if unit_picker_url:
            for name, multiple in (("responsible_unit", False), ("cooperating_units", True)):
                self.fields[name].widget = UnitPicker(url=unit_picker_url, multiple=multiple)

    @staticmethod
    def initial_of(project: Project) -> dict[str, Any]:
        return {
            "year": project.year,
            "code": project.code,
            "name": project.name,
            "category": project.category_id,
            "stage": project.stage,
            "content": project.content,
            "location": project.location,
            "total_investment": project.total_investment,
            "annual_plan": project.annual_plan,
            "start_year": project.start_year,
            "end_year": project.end_year,
            "responsible_unit": project.responsible_unit_id,
            "cooperating_units": [u.pk for u in project.cooperating_units.all()],
            "leaders": [leader.pk for leader in project.leaders.all()],
            "is_published": project.is_published,
        }


class PlanForm(forms.Form):
    """The monthly plan curve: twelve amounts (blank months count as zero; all blank: no
    plan)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            self.fields[f"m{month}"] = MoneyField(
                label=_("Month %(month)d") % {"month": month}, required=False
            )

    def amounts(self) -> list[Decimal | None]:
        return [self.cleaned_data.get(f"m{m}") for m in range(1, 13)]

    @staticmethod
    def initial_of(project: Project) -> dict[str, Any]:
        return {f"m{p.month}": p.planned for p in project.monthly_plans.all()}


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices, required=False)
    name = forms.CharField(label=_("Name"), max_length=64, required=False)
    planned_on = forms.DateField(
        label=_("Planned date"),
        required=False,
        # ISO whatever the language: a date input shows nothing for "2026/03/01", and the
        # Chinese edit page then saved the milestones without their dates.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=0, max_value=100, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("id") or data.get("name") or data.get("planned_on"))


MilestoneFormSet = formset_factory(
    MilestoneForm, extra=3, can_delete=True, max_num=30, validate_max=True
)


def milestone_initial(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "name": m.name,
            "planned_on": m.planned_on,
            "weight": m.weight,
        }
        for m in project.milestones.all()
    ]


def milestone_data(formset: Any) -> list[dict[str, Any]]:
    """The milestones kept: filled rows not ticked for deletion, in order."""
    items = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or form.is_blank():
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        items.append(
            {k: form.cleaned_data.get(k) for k in ("id", "kind", "name", "planned_on", "weight")}
        )
    return items
