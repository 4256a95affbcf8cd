"""Key projects (重点项目): the annual list, plans, milestones, monthly reports, lamps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.core.clock import now
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.choices import Lamp, MilestoneKind, ReportStatus, Stage
from luoshi.projects.rules import reason_text


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """万元 with two decimals, as in every official table."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Category(models.Model):
    """Project category (项目类别): 工业项目, 基础设施, 民生, 生态… — a county's own list,
    also the section rows of the office's Excel tables ("一、工业项目（15个）")."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")

    def __str__(self) -> str:
        return self.name


class YearSettings(models.Model):
    """Per-year settings of key-project tracking (年度配置): lamp thresholds, reporting
    deadline. The office changes them; the lamp engine reads them."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    green_ratio = models.DecimalField(
        _("green from completion ratio"), max_digits=5, decimal_places=4, default=Decimal("0.95")
    )
    yellow_ratio = models.DecimalField(
        _("yellow from completion ratio"), max_digits=5, decimal_places=4, default=Decimal("0.80")
    )
    milestone_yellow_days = models.PositiveIntegerField(
        _("milestone overdue days for yellow"), default=30
    )
    milestone_red_days = models.PositiveIntegerField(
        _("milestone overdue days for red"), default=60
    )
    missing_periods_red = models.PositiveIntegerField(_("missing reports for red"), default=2)
    deadline_day = models.PositiveIntegerField(
        _("report deadline (day of next month)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    deadline_in_working_days = models.BooleanField(
        _("deadline counted in working days"), default=False
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("year settings")
        verbose_name_plural = _("year settings")

    def __str__(self) -> str:
        return str(self.year)


class Project(models.Model):
    """Key project (重点项目) of one year's list. A project running several years appears in
    each year's list with the same code."""

    year = models.PositiveIntegerField(_("year"), db_index=True)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    # Normalised name (NFKC, no spaces, lower case) for matching Excel rows by name.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    pinyin_initials = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="projects", verbose_name=_("category")
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.CONTINUING
    )
    content = models.TextField(_("construction content and scale"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    total_investment = money_field(_("total investment (10k yuan)"))
    annual_plan = money_field(_("annual planned investment (10k yuan)"))
    start_year = models.PositiveIntegerField(_("start year"))
    end_year = models.PositiveIntegerField(_("end year"))
    responsible_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("responsible unit")
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_projects", verbose_name=_("cooperating units")
    )
    leaders = models.ManyToManyField(
        Leader, blank=True, related_name="projects", verbose_name=_("responsible leaders")
    )
    is_published = models.BooleanField(_("published on the openness page"), default=False)
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["year", "category__order", "code"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="projects_project_year_code"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="projects_project_years",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "responsible_unit"]),
            # The list's order, and every column a text search reads: a year's page and a
            # search over a year's 20,000 projects read this index alone, never the wide
            # rows (content, location) of the table.
            models.Index(
                fields=["year", "category", "code", "name", "pinyin_initials"],
                name="projects_project_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MonthlyPlan(models.Model):
    """Planned investment of one month (月度计划): the plan curve is the running sum."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monthly_plans")
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    planned = money_field(_("planned investment (10k yuan)"))

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="projects_monthlyplan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month}: {self.planned}"


class Milestone(models.Model):
    """Milestone (节点) with its planned date and optional weight; the actual date comes from
    the accepted monthly report that reported it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices)
    name = models.CharField(_("name"), max_length=64)
    planned_on = models.DateField(_("planned date"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "order", "planned_on"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class ReportingPeriod(models.Model):
    """Monthly reporting period (填报期): the month reported on, its deadline, and whether it
    is locked after the review meeting."""

    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    deadline = models.DateField(_("deadline"))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="projects_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MonthlyReport(models.Model):
    """Monthly report (月报) of one project for one period, filed by the responsible unit.
    ``version`` rises with every save so that two people editing one report cannot
    silently overwrite each other."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    # The responsible unit at filing time: what isolation and punctuality count on.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="project_reports")
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    investment_month = money_field(_("investment this month (10k yuan)"), default=Decimal("0"))
    investment_ytd = money_field(_("investment year to date (10k yuan)"), default=Decimal("0"))
    investment_since_start = money_field(
        _("investment since start (10k yuan)"), default=Decimal("0")
    )
    physical_progress = models.PositiveSmallIntegerField(
        _("physical progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    progress_text = models.TextField(_("progress"), blank=True)
    problems = models.TextField(_("problems met"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    needs_coordination = models.BooleanField(_("needs coordination"), default=False)
    return_reason = models.TextField(_("reason for return"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(default=now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # First submission after the deadline: a fact that counts in assessment, kept even if
    # the report is returned and submitted again.
    is_late = models.BooleanField(_("late"), default=False, editable=False)

    class Meta:
        ordering = ["-period__year", "-period__month", "project__code"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="projects_report_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "period", "status"]),
            models.Index(fields=["period", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period}"


class ReportMilestone(models.Model):
    """A milestone reached, as stated in a monthly report."""

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="milestones_reached"
    )
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    reached_on = models.DateField(_("reached on"))

    class Meta:
        verbose_name = _("milestone reached")
        verbose_name_plural = _("milestones reached")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "milestone"], name="projects_reportmilestone_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} @ {self.reached_on}"


class ReportPhoto(models.Model):
    """A photo of physical progress (形象进度照片), checked by content, stripped of location
    data, stored under LUOSHI_DATA_DIR with a thumbnail."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="photos")
    path = models.CharField(max_length=255)
    thumb_path = models.CharField(max_length=255)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(default=now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.path


class ProjectStatus(models.Model):
    """The lamp of a project as of a period (项目状态), precomputed whenever a report is
    accepted or a plan changes, so lists filter and count by lamp without recomputing.
    ``reason`` is the one sentence that explains the colour, with the figures, in the site's
    language; ``reason_data`` keeps its code and figures so that each reader gets it in their
    own language (``reason_display``)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="statuses")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="statuses")
    lamp = models.CharField(_("lamp"), max_length=8, choices=Lamp.choices)
    reason = models.CharField(_("reason"), max_length=300)
    reason_data = models.JSONField(_("reason's code and figures"), default=dict, blank=True)
    planned_ytd = money_field(_("planned year to date (10k yuan)"))
    actual_ytd = money_field(_("actual year to date (10k yuan)"))
    ratio = models.DecimalField(_("completion ratio"), max_digits=7, decimal_places=4, null=True)
    computed_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("project status")
        verbose_name_plural = _("project statuses")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="projects_status_unique")
        ]
        indexes = [models.Index(fields=["period", "lamp"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_id} {self.lamp}"

    @property
    def reason_display(self) -> str:
        """The reason in the active language."""
        return reason_text(self.reason, self.reason_data)


# ---------------------------------------------------------------------------------------
# Counts kept by the database. Triggers (migration 0002_speed_counts, for SQLite and
# PostgreSQL) keep them in step with every insert, update and delete of the counted rows,
# in the writing transaction, whichever code writes (services, imports, the seed, bulk
# writes): the project list reads a year's figures here instead of counting 20,000 rows on
# every page view. Rows that fell to 0 stay; readers skip them.


class CategoryCount(models.Model):
    """How many projects a year's list has in each category."""

    year = models.PositiveIntegerField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "category"], name="projects_categorycount_key")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category_id}: {self.n}"


class LampCount(models.Model):
    """How many projects have each lamp as of a period."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    lamp = models.CharField(max_length=8, choices=Lamp.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "lamp"], name="projects_lampcount_key")
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.lamp}: {self.n}"
