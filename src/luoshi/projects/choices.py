"""Enumerations of key projects and monthly reporting, with their Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Project stage (项目阶段)."""

    PLANNING = "planning", _("Planning")  # 谋划
    PREPARATION = "preparation", _("Preparation")  # 前期
    NEW = "new", _("New start")  # 新开工
    CONTINUING = "continuing", _("Continuing")  # 续建
    COMPLETED = "completed", _("Completed")  # 竣工


class MilestoneKind(models.TextChoices):
    """Milestone (节点)."""

    APPROVAL = "approval", _("Project approval")  # 立项
    LAND = "land", _("Land use")  # 用地
    EIA = "eia", _("Environmental assessment")  # 环评
    START = "start", _("Construction start")  # 开工
    STRUCTURE = "structure", _("Main structure complete")  # 主体完工
    COMPLETION = "completion", _("Completion")  # 竣工
    OPERATION = "operation", _("In operation")  # 投产
    OTHER = "other", _("Other")


class ReportStatus(models.TextChoices):
    """Monthly report workflow (月报流程): draft → submitted → approved by the unit head →
    accepted by the office; either approver can return it with a reason."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved by unit head")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Lamp(models.TextChoices):
    """Warning lamp (红黄绿灯): computed, never typed."""

    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    GREY = "grey", _("Grey")


LAMP_SEVERITY = {Lamp.GREY: 0, Lamp.GREEN: 1, Lamp.YELLOW: 2, Lamp.RED: 3}
